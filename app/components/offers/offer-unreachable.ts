import { keepPageWhenUnreachable, unreachableMessage, unsavedMessage, UNREACHABLE } from "~/components/unreachable";
import { MAX_UNANSWERED_SAVES } from "./offer-draft";

// What may or may not have happened. Each is safe to send again: pausing, activating and deleting
// what already is so changes nothing, and a duplicate keeps its token until answered (one copy).
const WHAT_MAY_HAVE_HAPPENED: Record<string, string> = {
  delete: "the offer may or may not have been deleted",
  duplicate: "the offer may or may not have been duplicated",
  pause: "the offer may or may not have been paused",
  activate: "the offer may or may not have been activated",
  "bulk-pause": "the selected offers may or may not have been paused",
  "bulk-activate": "the selected offers may or may not have been activated",
  "bulk-delete": "the selected offers may or may not have been deleted",
};

/** The editor's list of its saves that got no answer, with `token` added (newest last, bounded). */
export function withUnansweredSave(tokens: readonly string[], token: string): string[] {
  return [...tokens.filter((kept) => kept !== token), token].slice(-MAX_UNANSWERED_SAVES);
}

/**
 * The offer pages' clientAction (editors and lists): a submission that got no answer from Upshelf
 * is answered in the shape both already read for a refusal: the editor's (`ok: false`, `errors`,
 * no draft to put back, so the form keeps what it holds) and the list's (`error`, `message`).
 * A save's answer names its `saveToken`, so the editor knows which of its saves may have landed.
 */
export const offerClientAction = keepPageWhenUnreachable(({ intent, form }) => {
  const saveToken = intent === "save" ? form.get("saveToken") : null;
  return {
    ok: false as const,
    error: UNREACHABLE,
    message: intent === "save" || !(intent in WHAT_MAY_HAVE_HAPPENED) ? unsavedMessage("your changes") : unreachableMessage({ outcome: WHAT_MAY_HAVE_HAPPENED[intent] as string }),
    errors: {} as Record<string, string>,
    draft: null,
    ...(typeof saveToken === "string" && saveToken !== "" ? { saveToken } : {}),
  };
});
