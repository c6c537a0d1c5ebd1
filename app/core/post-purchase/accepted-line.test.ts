import { describe, expect, it } from "vitest";
import { ACCEPTANCE_WINDOW_AFTER_MS, ACCEPTANCE_WINDOW_BEFORE_MS, matchAcceptedLines, purchaseLinesKey, type AcceptanceFact } from "./accepted-line";

const placedAt = new Date("2026-03-01T12:00:00Z");
const minutes = (n: number) => new Date(placedAt.getTime() + n * 60_000);

function acceptance(overrides: Partial<AcceptanceFact> & { id: number }): AcceptanceFact {
  return { variantId: "30", purchaseLines: purchaseLinesKey([{ variantId: "10", quantity: 1 }]), signedAt: minutes(2), orderShopifyId: null, ...overrides };
}

const LINE_AMOUNT = 1000;

/**
 * An order whose lines cost 10.00 each; by default the lines of variant 30 (the accepted one in
 * these cases) are what was added after checkout.
 */
function order(lines: ({ variantId: string; quantity: number } | null)[], shopifyId = "o-1", addedAfterCheckout?: number | null) {
  const facts = lines.map((line) => (line ? { ...line, amount: LINE_AMOUNT } : null));
  const added = addedAfterCheckout === undefined ? facts.filter((line) => line?.variantId === "30").length * LINE_AMOUNT : addedAfterCheckout;
  return { shopifyId, placedAt, lines: facts, addedAfterCheckout: added };
}

describe("which order line an accepted post-purchase offer added", () => {
  it("keys a purchase by its lines, in any order", () => {
    expect(purchaseLinesKey([{ variantId: "20", quantity: 2 }, { variantId: "10", quantity: 1 }])).toBe("10:1,20:2");
    expect(purchaseLinesKey([{ variantId: "10", quantity: 1 }, { variantId: "20", quantity: 2 }])).toBe("10:1,20:2");
  });

  it("credits the line of the accepted variant beyond the initial purchase", () => {
    const matches = matchAcceptedLines(order([{ variantId: "10", quantity: 1 }, null, { variantId: "30", quantity: 1 }]), [acceptance({ id: 1 })]);
    expect(matches).toEqual([{ acceptanceId: 1, lineIndex: 2 }]);
  });

  it("credits nothing when the order lacks a line of the purchase, or the unit merged into a line the buyer bought", () => {
    expect(matchAcceptedLines(order([{ variantId: "30", quantity: 1 }]), [acceptance({ id: 1 })])).toEqual([]);
    expect(matchAcceptedLines(order([{ variantId: "10", quantity: 2 }, { variantId: "30", quantity: 1 }]), [acceptance({ id: 1 })])).toEqual([]);
    // The buyer bought the accepted variant too and Shopify merged the unit into that line.
    const boughtIt = acceptance({ id: 2, purchaseLines: purchaseLinesKey([{ variantId: "10", quantity: 1 }, { variantId: "30", quantity: 1 }]) });
    expect(matchAcceptedLines(order([{ variantId: "10", quantity: 1 }, { variantId: "30", quantity: 2 }]), [boughtIt])).toEqual([]);
  });

  it("only matches acceptances signed around the order's time", () => {
    const lines = [{ variantId: "10", quantity: 1 }, { variantId: "30", quantity: 1 }];
    const late = acceptance({ id: 1, signedAt: new Date(placedAt.getTime() + ACCEPTANCE_WINDOW_BEFORE_MS + 1) });
    const early = acceptance({ id: 2, signedAt: new Date(placedAt.getTime() - ACCEPTANCE_WINDOW_AFTER_MS - 1) });
    expect(matchAcceptedLines(order(lines), [late, early])).toEqual([]);
    const edge = acceptance({ id: 3, signedAt: new Date(placedAt.getTime() + ACCEPTANCE_WINDOW_BEFORE_MS) });
    expect(matchAcceptedLines(order(lines), [edge])).toEqual([{ acceptanceId: 3, lineIndex: 1 }]);
  });

  it("leaves an acceptance credited to another order alone, and keeps this order's on a re-sent webhook", () => {
    const lines = [{ variantId: "10", quantity: 1 }, { variantId: "30", quantity: 1 }];
    expect(matchAcceptedLines(order(lines), [acceptance({ id: 1, orderShopifyId: "o-2" })])).toEqual([]);
    // A closer, uncredited acceptance of another buyer does not take the line this order's acceptance holds.
    const mine = acceptance({ id: 1, signedAt: minutes(30), orderShopifyId: "o-1" });
    const closer = acceptance({ id: 2, signedAt: minutes(1) });
    expect(matchAcceptedLines(order(lines), [closer, mine])).toEqual([{ acceptanceId: 1, lineIndex: 1 }]);
  });

  it("credits nothing to an order that cost the same at checkout: another buyer who bought the same items within the hour", () => {
    const lines = [{ variantId: "10", quantity: 1 }, { variantId: "30", quantity: 1 }];
    expect(matchAcceptedLines(order(lines, "o-2", 0), [acceptance({ id: 1 })])).toEqual([]);
    // Rounding of an order discount across lines is not taken for an added line.
    expect(matchAcceptedLines(order(lines, "o-2", 2), [acceptance({ id: 1 })])).toEqual([]);
    expect(matchAcceptedLines(order(lines, "o-1", LINE_AMOUNT - 2), [acceptance({ id: 1 })])).toEqual([{ acceptanceId: 1, lineIndex: 1 }]);
  });

  it("credits no more lines than were added after checkout", () => {
    const lines = [{ variantId: "10", quantity: 1 }, { variantId: "30", quantity: 1 }, { variantId: "30", quantity: 1 }];
    const far = acceptance({ id: 1, signedAt: minutes(40) });
    const near = acceptance({ id: 2, signedAt: minutes(3) });
    expect(matchAcceptedLines(order(lines, "o-1", LINE_AMOUNT), [far, near])).toEqual([{ acceptanceId: 2, lineIndex: 1 }]);
  });

  it("without the checkout subtotal (a CSV export), keeps a credit this order had and makes no new one", () => {
    const lines = [{ variantId: "10", quantity: 1 }, { variantId: "30", quantity: 1 }];
    expect(matchAcceptedLines(order(lines, "o-1", null), [acceptance({ id: 1 })])).toEqual([]);
    expect(matchAcceptedLines(order(lines, "o-1", null), [acceptance({ id: 1, orderShopifyId: "o-1" })])).toEqual([{ acceptanceId: 1, lineIndex: 1 }]);
  });

  it("credits each line once: of two acceptances for one added unit, the closest signature wins", () => {
    const lines = [{ variantId: "10", quantity: 1 }, { variantId: "30", quantity: 1 }];
    const far = acceptance({ id: 1, signedAt: minutes(40) });
    const near = acceptance({ id: 2, signedAt: minutes(3) });
    expect(matchAcceptedLines(order(lines), [far, near])).toEqual([{ acceptanceId: 2, lineIndex: 1 }]);
    // Two added units on two lines: both acceptances are credited, each with its own line.
    const two = [...lines, { variantId: "30", quantity: 1 }];
    expect(matchAcceptedLines(order(two), [far, near]).sort((a, b) => a.acceptanceId - b.acceptanceId)).toEqual([
      { acceptanceId: 1, lineIndex: 2 },
      { acceptanceId: 2, lineIndex: 1 },
    ]);
  });
});
