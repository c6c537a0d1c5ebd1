/**
 * Which order line a post-purchase acceptance added. Shopify applies the signed changeset as an
 * order edit, and a changeset cannot set line properties, so the added line arrives in the
 * order's webhooks unmarked. Upshelf keeps what it signed (the initial purchase's lines and the
 * accepted variant) and recognises the order by it: the order holds every line of the initial
 * purchase, and beyond them a line of the accepted variant, added after checkout: the order's
 * lines must cost more than Shopify's checkout subtotal (which order edits leave as it was) by at
 * least the credited lines. Without that, another buyer who bought the same items at checkout
 * within the hour would take the credit. Nothing is credited on a doubt: a unit merged into a line
 * the buyer had already bought (quantity 1 -> 2) is not told apart from the buyer's own, and an
 * order whose checkout subtotal the source does not give (a CSV export) is credited nothing new.
 */

export interface PurchasedLine {
  readonly variantId: string;
  readonly quantity: number;
}

/** An order line as matched: its variant, quantity and what it costs after its discounts (minor units). */
export interface OrderLineFact extends PurchasedLine {
  readonly amount: number;
}

export interface AcceptanceFact {
  readonly id: number;
  readonly variantId: string;
  /** purchaseLinesKey() of the initial purchase. */
  readonly purchaseLines: string;
  readonly signedAt: Date;
  /** The order it was credited to; null until matched. */
  readonly orderShopifyId: string | null;
}

/** The initial purchase's lines as stored: "variantId:quantity", sorted, comma-separated. */
export function purchaseLinesKey(lines: readonly PurchasedLine[]): string {
  return lines
    .map((line) => `${line.variantId}:${line.quantity}`)
    .sort()
    .join(",");
}

function parsePurchaseLines(key: string): PurchasedLine[] {
  if (key === "") return [];
  return key.split(",").map((entry) => {
    const [variantId = "", quantity = "0"] = entry.split(":");
    return { variantId, quantity: Number(quantity) };
  });
}

/**
 * The post-purchase page opens as the order is placed and accepting takes one tap, so the
 * changeset is signed within minutes of the order; an hour allows for a buyer who pauses. The
 * order's time may trail the signature a little (processing, clock skew).
 */
export const ACCEPTANCE_WINDOW_BEFORE_MS = 60 * 60 * 1000;
export const ACCEPTANCE_WINDOW_AFTER_MS = 5 * 60 * 1000;

/** The range of signature times an order placed at `placedAt` can be matched with. */
export function acceptanceWindow(placedAt: Date): { from: Date; to: Date } {
  return {
    from: new Date(placedAt.getTime() - ACCEPTANCE_WINDOW_AFTER_MS),
    to: new Date(placedAt.getTime() + ACCEPTANCE_WINDOW_BEFORE_MS),
  };
}

/**
 * The index of the order line the acceptance added, or null when the order is not the one the
 * acceptance was signed for (or the added unit cannot be told apart).
 */
function addedLineIndex(orderLines: readonly (OrderLineFact | null)[], acceptance: AcceptanceFact): number | null {
  const unclaimed = orderLines.map((line, index) => ({ line, index })).filter((entry) => entry.line !== null);
  for (const bought of parsePurchaseLines(acceptance.purchaseLines)) {
    const at = unclaimed.findIndex((entry) => entry.line?.variantId === bought.variantId && entry.line.quantity === bought.quantity);
    if (at < 0) return null;
    unclaimed.splice(at, 1);
  }
  return unclaimed.find((entry) => entry.line?.variantId === acceptance.variantId)?.index ?? null;
}

export interface AcceptedLineMatch {
  readonly acceptanceId: number;
  readonly lineIndex: number;
}

/**
 * Matches an order (its lines in order; null for a line without a variant) to the acceptances
 * signed around its time: each acceptance credits at most one line, each line at most once, and
 * an acceptance already credited to another order is left alone. Closest signature first. The
 * credited lines together cost no more than `addedAfterCheckout` (the lines' total less the
 * checkout subtotal; null when unknown, which credits only what was credited to this order before).
 */
export function matchAcceptedLines(
  order: {
    readonly shopifyId: string;
    readonly placedAt: Date;
    readonly lines: readonly (OrderLineFact | null)[];
    readonly addedAfterCheckout: number | null;
  },
  acceptances: readonly AcceptanceFact[],
): AcceptedLineMatch[] {
  const { from, to } = acceptanceWindow(order.placedAt);
  const candidates = acceptances
    .filter((acceptance) => acceptance.orderShopifyId === null || acceptance.orderShopifyId === order.shopifyId)
    .filter((acceptance) => acceptance.signedAt >= from && acceptance.signedAt <= to)
    .sort(
      (a, b) =>
        // The acceptance credited to this order before keeps its line on a re-sent webhook.
        Number(b.orderShopifyId !== null) - Number(a.orderShopifyId !== null) ||
        Math.abs(a.signedAt.getTime() - order.placedAt.getTime()) - Math.abs(b.signedAt.getTime() - order.placedAt.getTime()) ||
        a.id - b.id,
    );
  const lines = [...order.lines];
  const matches: AcceptedLineMatch[] = [];
  // Shopify rounds each line's share of an order discount to a minor unit, so the lines' total may
  // miss the checkout subtotal by up to a unit per line.
  const rounding = order.lines.length;
  let added = order.addedAfterCheckout;
  for (const acceptance of candidates) {
    if (added === null && acceptance.orderShopifyId !== order.shopifyId) continue;
    const lineIndex = addedLineIndex(lines, acceptance);
    if (lineIndex === null) continue;
    if (added !== null) {
      const amount = lines[lineIndex]?.amount ?? 0;
      if (amount > added + rounding) continue;
      added -= amount;
    }
    matches.push({ acceptanceId: acceptance.id, lineIndex });
    // The credited line cannot be credited again, nor stand in for another purchase's line.
    lines[lineIndex] = null;
  }
  return matches;
}
