/**
 * What Upshelf's storefront leaves on an order, read back for attribution: line item properties
 * the widgets set, and cart attributes (a webhook's `note_attributes`, the Admin API's
 * `Order.customAttributes`) where a line property cannot be set. Every order source reads them
 * here, so an order stored from a webhook and the same order from the backfill say the same.
 */
import type { IncomingOrder } from "./types";

/** The line item properties Upshelf's widgets set. */
export const OFFER_PROPERTY = "_upshelf_offer";
export const PLACEMENT_PROPERTY = "_upshelf_placement";

/** Set by the widget script for a visitor in a holdout test: "<test key>:<visitor key>". */
export const EXPERIMENT_ATTRIBUTE = "_upshelf_exp";
/**
 * Set by the thank-you block's cart link, which cannot set line properties:
 * "thank_you:<product id>".
 */
export const THANK_YOU_ATTRIBUTE = "_upshelf_source";

const EXPERIMENT_MARK = /^([a-z0-9]{1,16}):([A-Za-z0-9_-]{8,64})$/;
const THANK_YOU_SOURCE = /^thank_you:(\d+)$/;

export type OrderAttributes = ReadonlyMap<string, string>;

export function experimentOf(attributes: OrderAttributes): NonNullable<IncomingOrder["experiment"]> | null {
  const match = EXPERIMENT_MARK.exec(attributes.get(EXPERIMENT_ATTRIBUTE) ?? "");
  return match ? { key: match[1] as string, visitor: match[2] as string } : null;
}

/** The product the thank-you block's link added, or null. */
export function thankYouProductOf(attributes: OrderAttributes): string | null {
  return THANK_YOU_SOURCE.exec(attributes.get(THANK_YOU_ATTRIBUTE) ?? "")?.[1] ?? null;
}

/** A line's properties, with the thank-you placement when the block's link added its product (and nothing else credited it). */
export function withThankYouPlacement(properties: Record<string, string>, productId: string | null, thankYouProduct: string | null): Record<string, string> {
  if (thankYouProduct === null || productId !== thankYouProduct || properties[PLACEMENT_PROPERTY]) return properties;
  return { ...properties, [PLACEMENT_PROPERTY]: "thank_you" };
}
