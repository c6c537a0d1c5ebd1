import { describe, expect, it } from "vitest";
import { describeReason } from "./reasons";

describe("describeReason", () => {
  it("renders every reason as English", () => {
    expect(describeReason({ kind: "bought_together", orders: 142 })).toBe("Bought together in 142 orders");
    expect(describeReason({ kind: "bought_together", orders: 1 })).toBe("Bought together in 1 order");
    expect(describeReason({ kind: "similar", toProductId: "p1", toTitle: "Blue Mug" })).toBe("Similar to Blue Mug");
    expect(describeReason({ kind: "similar", toProductId: "p1" })).toBe("Similar to p1");
    expect(describeReason({ kind: "popular_in_type", productType: "Mugs" })).toBe("Popular in Mugs");
    expect(describeReason({ kind: "popular" })).toBe("Popular in this shop");
    expect(describeReason({ kind: "same_type", productType: "Mugs" })).toBe("More in Mugs");
    expect(describeReason({ kind: "from_shop" })).toBe("More from this shop");
    expect(describeReason({ kind: "pinned" })).toBe("Pinned by merchant");
  });
});
