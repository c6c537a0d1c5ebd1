import { describe, expect, it } from "vitest";
import { createFeedbackStore, engagements, feedbackFor, recordFeedback } from "./feedback-counts";

describe("feedback counts", () => {
  it("counts impressions, clicks and add-to-carts per anchor, candidate and placement", () => {
    const store = createFeedbackStore();
    recordFeedback(store, { anchorKey: "mug", productId: "tea", placement: "pdp", kind: "impression", count: 10 });
    recordFeedback(store, { anchorKey: "mug", productId: "tea", placement: "pdp", kind: "click" });
    recordFeedback(store, { anchorKey: "mug", productId: "tea", placement: "pdp", kind: "add_to_cart" });
    recordFeedback(store, { anchorKey: "mug", productId: "tea", placement: "cart", kind: "impression" });
    expect(feedbackFor(store, "mug", "tea", "pdp")).toEqual({ impressions: 10, clicks: 1, addToCarts: 1 });
    expect(feedbackFor(store, "mug", "tea", "cart")).toEqual({ impressions: 1, clicks: 0, addToCarts: 0 });
    expect(feedbackFor(store, "tea", "mug", "pdp")).toEqual({ impressions: 0, clicks: 0, addToCarts: 0 });
  });

  it("keeps keys apart whatever characters ids contain", () => {
    const store = createFeedbackStore();
    recordFeedback(store, { anchorKey: "a|b", productId: "c", placement: "pdp", kind: "impression" });
    expect(feedbackFor(store, "a", "b|c", "pdp").impressions).toBe(0);
  });

  it("never counts more engagements than impressions", () => {
    expect(engagements({ impressions: 2, clicks: 2, addToCarts: 3 })).toBe(2);
  });

  it("rejects negative or fractional counts", () => {
    expect(() =>
      recordFeedback(createFeedbackStore(), { anchorKey: "a", productId: "b", placement: "pdp", kind: "click", count: -1 })
    ).toThrow(RangeError);
  });
});
