/**
 * Which order line a post-purchase acceptance added. Shopify applies the signed changeset as an
 * order edit, and a changeset cannot set line properties, so the added line arrives in the
 * order's webhooks unmarked. Upshelf keeps what it signed (the initial purchase's lines and the
 * accepted variant) and recognises the order by it: the order holds every line of the initial
 * purchase, and beyond them a line of the accepted variant. Nothing is credited on a doubt: a
 * unit merged into a line the buyer had already bought (quantity 1 -> 2) is not told apart from
 * the buyer's own, so it is not credited.
 */

export interface PurchasedLine {
  readonly variantId: string;
  readonly quantity: number;
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
function addedLineIndex(orderLines: readonly (PurchasedLine | null)[], acceptance: AcceptanceFact): number | null {
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
 * an acceptance already credited to another order is left alone. Closest signature first.
 */
export function matchAcceptedLines(
  order: { readonly shopifyId: string; readonly placedAt: Date; readonly lines: readonly (PurchasedLine | null)[] },
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
  for (const acceptance of candidates) {
    const lineIndex = addedLineIndex(lines, acceptance);
    if (lineIndex === null) continue;
    matches.push({ acceptanceId: acceptance.id, lineIndex });
    // The credited line cannot be credited again, nor stand in for another purchase's line.
    lines[lineIndex] = null;
  }
  return matches;
}
