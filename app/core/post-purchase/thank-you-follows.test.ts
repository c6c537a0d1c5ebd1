import { describe, expect, it } from "vitest";
import { followedCheckouts, thankYouPurchaseKeys, type AnsweredCheckout } from "./thank-you-follows";

describe("the post-purchase checkout a thank-you page follows", () => {
  it("looks for the order's lines, and for them less one unit of each variant an accept may have added", () => {
    const keys = thankYouPurchaseKeys([
      { variantId: "11", quantity: 2 },
      { variantId: "22", quantity: 1 },
    ]);
    expect(keys).toEqual([
      { key: "11:2,22:1", addedVariantId: null },
      { key: "11:1,22:1", addedVariantId: "11" },
      { key: "11:2", addedVariantId: "22" },
    ]);
    // A single unit was not bought with anything after an accept: no purchase is empty.
    expect(thankYouPurchaseKeys([{ variantId: "11", quantity: 1 }])).toEqual([{ key: "11:1", addedVariantId: null }]);
  });

  it("tries the most recent answer first, and one matched less an added unit only if that unit was the accepted variant", () => {
    const at = (minute: number) => new Date(Date.UTC(2026, 11, 7, 12, minute));
    const plain = { key: "11:1", addedVariantId: null };
    const lessCoaster = { key: "11:1", addedVariantId: "99" };
    const candidates: AnsweredCheckout[] = [
      { id: 1, referenceId: "older-decline", kind: "offer_declined", createdAt: at(1), match: plain },
      { id: 2, referenceId: "newer-decline", kind: "offer_declined", createdAt: at(3), match: plain },
      { id: 3, referenceId: "accepted-coaster", kind: "offer_accepted", createdAt: at(4), match: lessCoaster },
      { id: 4, referenceId: "accepted-other", kind: "offer_signed", createdAt: at(5), match: lessCoaster },
      { id: 5, referenceId: "declined-less", kind: "offer_declined", createdAt: at(6), match: lessCoaster },
      { id: 6, referenceId: "still-deciding", kind: "offer_accept_failed", createdAt: at(7), match: plain },
    ];
    const accepted = new Map([
      ["accepted-coaster", ["99"]],
      ["accepted-other", ["77"]],
    ]);
    expect(followedCheckouts(candidates, accepted).map((candidate) => candidate.referenceId)).toEqual(["accepted-coaster", "newer-decline", "older-decline"]);
  });
});
