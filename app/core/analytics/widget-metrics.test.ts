import { describe, expect, it } from "vitest";
import { computeDailyEvents, computePlacementFunnels } from "./widget-metrics";

describe("widget funnels", () => {
  it("computes click-through and add-to-cart rates per placement", () => {
    const funnels = computePlacementFunnels([
      { placement: "pdp", kind: "impression", count: 200 },
      { placement: "pdp", kind: "click", count: 30 },
      { placement: "pdp", kind: "add_to_cart", count: 10 },
      { placement: "cart", kind: "impression", count: 50 },
      { placement: "post_purchase", kind: "offer_shown", count: 40 },
      { placement: "post_purchase", kind: "offer_accepted", count: 4 },
      { placement: "post_purchase", kind: "offer_declined", count: 36 },
      // A tap that added nothing (the buyer then declined): no step of the funnel.
      { placement: "post_purchase", kind: "offer_accept_failed", count: 3 },
      { placement: "elsewhere", kind: "impression", count: 999 },
    ]);
    expect(funnels.map((funnel) => funnel.placement)).toEqual(["pdp", "cart", "post_purchase", "thank_you"]);
    expect(funnels[0]).toMatchObject({ label: "Product page", impressions: 200, clicks: 30, addsToCart: 10, clickThroughRate: 0.15, addToCartRate: 0.05 });
    expect(funnels[1]).toMatchObject({ impressions: 50, clicks: 0, clickThroughRate: 0, addToCartRate: 0 });
    expect(funnels[2]).toMatchObject({ impressions: 40, addsToCart: 4, addToCartRate: 0.1 });
    expect(funnels[3]).toMatchObject({ impressions: 0, clickThroughRate: null, addToCartRate: null });
  });

  it("leaves the steps a placement cannot report unmeasured (null), not at 0", () => {
    const funnels = computePlacementFunnels([
      { placement: "post_purchase", kind: "offer_shown", count: 2 },
      { placement: "post_purchase", kind: "offer_accepted", count: 1 },
      { placement: "thank_you", kind: "offer_shown", count: 2 },
      { placement: "thank_you", kind: "click", count: 1 },
    ]);
    // Post-purchase: shown and accepted, no click step.
    expect(funnels[2]).toMatchObject({ impressions: 2, clicks: null, clickThroughRate: null, addsToCart: 1, addToCartRate: 0.5 });
    // Thank-you: shown and clicked; the add happens in the cart, where this block cannot see it.
    expect(funnels[3]).toMatchObject({ impressions: 2, clicks: 1, clickThroughRate: 0.5, addsToCart: null, addToCartRate: null });
  });

  it("gives every day of the period a point, empty days included", () => {
    const daily = computeDailyEvents(
      ["2024-05-01", "2024-05-02"],
      new Map([["2024-05-02", [{ kind: "impression", count: 5 }, { kind: "click", count: 2 }, { kind: "offer_declined", count: 1 }]]]),
    );
    expect(daily).toEqual([
      { day: "2024-05-01", impressions: 0, clicks: 0, addsToCart: 0 },
      { day: "2024-05-02", impressions: 5, clicks: 2, addsToCart: 0 },
    ]);
  });
});
