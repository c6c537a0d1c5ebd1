import { jsonError, readFormBody } from "./http.server";

/**
 * The largest form body an admin action reads; the CSV upload has its own limit (MAX_UPLOAD_BYTES,
 * read as it streams). Only an authenticated merchant's request gets this far, but a form is
 * buffered whole before it can be parsed, so without a bound a body of any size would be held in
 * memory. The largest form a page sends is the offer editor's draft, at most MAX_OFFER_DRAFT_CHARS
 * characters of JSON: URL-encoded, a character takes at most 9 bytes (3 bytes of UTF-8, each sent
 * as %XX), 4.5 MB; 5 MB leaves room for the fields beside it.
 */
export const MAX_ADMIN_FORM_BYTES = 5 * 1024 * 1024;
export const MAX_ADMIN_FORM_LABEL = "5 MB";

/**
 * Every admin action's form, read after authentication (an unauthenticated request is refused
 * before its body is read). A body past MAX_ADMIN_FORM_BYTES is a 413 the admin's error page
 * shows; nothing is changed.
 */
export function readAdminForm(request: Request): Promise<FormData> {
  return readFormBody(request, {
    maxBytes: MAX_ADMIN_FORM_BYTES,
    tooLarge: () =>
      jsonError(
        413,
        "payload_too_large",
        `The form sent is larger than ${MAX_ADMIN_FORM_LABEL}, more than any Upshelf page sends, so it was not read and nothing was saved. Reload the page and try again.`,
      ),
  });
}
