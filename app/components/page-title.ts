import type { MetaDescriptor } from "@remix-run/react";
import { adminErrorMessage } from "./admin-error-page";
import { OFFER_FAMILIES, type OfferFamily } from "./offers/families";

/**
 * Document titles: "<page> · Upshelf", the page's own heading first, so a browser tab, history
 * entry or screen reader names the page before the app. Every route with a page exports
 * `meta = () => titleMeta("<page>")`; routes without a `meta` get their nearest parent's (Remix v2
 * uses the deepest `meta` export of the matched routes; it merges nothing).
 */
export const APP_TITLE = "Upshelf";

export function pageTitle(...parts: readonly string[]): string {
  return [...parts.map((part) => part.trim()).filter((part) => part !== ""), APP_TITLE].join(" · ");
}

export function titleMeta(...parts: readonly string[]): MetaDescriptor[] {
  return [{ title: pageTitle(...parts) }];
}

/** The admin layout's title when a page failed and its error page is shown instead. */
export function adminErrorTitleMeta(error: unknown): MetaDescriptor[] {
  const message = adminErrorMessage(error);
  if (!message) return titleMeta();
  return titleMeta(message.status === 404 ? "Not found" : "This did not work");
}

/** An offer family's list: "Bundles · Upshelf". */
export function offerIndexMeta(family: OfferFamily): MetaDescriptor[] {
  return titleMeta(OFFER_FAMILIES[family].title);
}

/** "Create bundle · Upshelf", as the page's heading says. */
export function newOfferMeta(family: OfferFamily): MetaDescriptor[] {
  return titleMeta(`Create ${OFFER_FAMILIES[family].singular}`);
}

/** "Edit bundle: Summer set · Upshelf", with the offer's saved title when it has one. */
export function editOfferMeta(family: OfferFamily, data: { readonly draft: { readonly title: string } } | undefined): MetaDescriptor[] {
  const action = `Edit ${OFFER_FAMILIES[family].singular}`;
  const title = data?.draft.title.trim() ?? "";
  return titleMeta(title === "" ? action : `${action}: ${title}`);
}
