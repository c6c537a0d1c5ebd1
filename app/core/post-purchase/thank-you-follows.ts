/**
 * Which post-purchase checkout a thank-you page follows. The thank-you page comes right after the
 * post-purchase page, and a buyer who answered the offer there (accepted or declined) is not asked
 * again: once declined, no means no; once accepted, the one offer was made. But Shopify gives the two
 * pages no shared id (the post-purchase page has its initial purchase's reference id, the thank-you
 * page the order's id), so, as with crediting an accepted line (./accepted-line.ts), the checkout
 * is recognised by what was bought, and when: the same lines (variant and quantity), answered
 * shortly before the thank-you page asked. Each answer is taken by one thank-you page only, the
 * most recent first, so another buyer of the same items at the same moment is asked, as before,
 * rather than every such buyer being passed over.
 */
import { purchaseLinesKey, type PurchasedLine } from "./accepted-line";
import type { CheckoutOutcomeKind } from "./outcome";

/** Answers a thank-you page follows: anything but a failed accept (the buyer is still on the page). */
export const ANSWERED_OUTCOMES: readonly CheckoutOutcomeKind[] = ["offer_signed", "offer_accepted", "offer_declined"];

/**
 * How long after the answer its thank-you page asks. The post-purchase page ends with `done()`,
 * which takes the buyer straight to the thank-you page, whose block asks at once: seconds. Ten
 * minutes allows for a slow device without matching answers long gone.
 */
export const THANK_YOU_FOLLOWS_WITHIN_MS = 10 * 60 * 1000;

export interface ThankYouPurchaseKey {
  /** purchaseLinesKey() of the post-purchase checkout this could be. */
  readonly key: string;
  /** The variant the accepted offer added to the order (one unit), or null for the lines as they are. */
  readonly addedVariantId: string | null;
}

/**
 * The post-purchase purchases a thank-you page's lines can follow: the lines themselves, and, in
 * case the order already holds the item an accepted offer added, the lines less one unit of each
 * variant in turn (Shopify adds one unit, as a line of its own or merged into the buyer's).
 */
export function thankYouPurchaseKeys(lines: readonly PurchasedLine[]): ThankYouPurchaseKey[] {
  const keys = new Map<string, ThankYouPurchaseKey>();
  const add = (key: string, addedVariantId: string | null) => {
    const id = `${key}|${addedVariantId ?? ""}`;
    if (!keys.has(id)) keys.set(id, { key, addedVariantId });
  };
  add(purchaseLinesKey(lines), null);
  lines.forEach((line, index) => {
    const less = lines.flatMap((other, at) => (at !== index ? [other] : other.quantity > 1 ? [{ ...other, quantity: other.quantity - 1 }] : []));
    if (less.length > 0) add(purchaseLinesKey(less), line.variantId);
  });
  return [...keys.values()];
}

export interface AnsweredCheckout {
  readonly id: number;
  readonly referenceId: string;
  readonly kind: CheckoutOutcomeKind;
  readonly createdAt: Date;
  /** The key it matched, as given by thankYouPurchaseKeys. */
  readonly match: ThankYouPurchaseKey;
}

/**
 * The answered checkouts a thank-you page may follow, in the order to try them: the most recent
 * first. One matched on the lines less an added unit must have accepted that very variant
 * (`acceptedVariants`: reference id -> the variants signed for it).
 */
export function followedCheckouts(candidates: readonly AnsweredCheckout[], acceptedVariants: ReadonlyMap<string, readonly string[]>): AnsweredCheckout[] {
  return candidates
    .filter((candidate) => ANSWERED_OUTCOMES.includes(candidate.kind))
    .filter((candidate) => {
      const added = candidate.match.addedVariantId;
      if (added === null) return true;
      return candidate.kind !== "offer_declined" && (acceptedVariants.get(candidate.referenceId) ?? []).includes(added);
    })
    .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || b.id - a.id);
}
