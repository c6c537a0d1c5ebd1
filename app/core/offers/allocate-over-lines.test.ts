import { describe, expect, it } from "vitest";
import { allocateOverLines } from "./allocate-over-lines";
import { createPricingContext } from "./pricing-context";
import { cartOf, line } from "./test-support";

const cheap = "gid://shopify/ProductVariant/41";
const dear = "gid://shopify/ProductVariant/42";
const product = { productId: "gid://shopify/Product/4" };

/** What each variant gets when `total` is spread over the lines by their subtotal. */
function perVariant(lines: ReturnType<typeof line>[], total: number): Map<string, number> {
  const context = createPricingContext(cartOf(lines));
  const weights = context.lines.map((entry) => entry.subtotal);
  const amounts = allocateOverLines(context, total, weights, weights);
  const saved = new Map<string, number>();
  for (const entry of context.lines) saved.set(entry.variantId, (saved.get(entry.variantId) ?? 0) + (amounts[entry.index] ?? 0));
  return saved;
}

describe("allocateOverLines", () => {
  it("gives each variant the same share whichever of its lines' ids sorts first", () => {
    // 4,810 over 4,995 (dear) and 15 (cheap). Split line by line, the cheap variant's two lines
    // (5 and 10) won an extra minor unit that the dear line wins when the cheap one is a single line.
    const dearLine = line("gid://shopify/CartLine/3", 999, 5, { variantId: dear, ...product });
    const smallFirst = [
      line("gid://shopify/CartLine/1", 5, 1, { variantId: cheap, ...product }),
      line("gid://shopify/CartLine/2", 5, 2, { variantId: cheap, ...product }),
      dearLine,
    ];
    const largeFirst = [
      line("gid://shopify/CartLine/1", 5, 2, { variantId: cheap, ...product }),
      line("gid://shopify/CartLine/2", 5, 1, { variantId: cheap, ...product }),
      dearLine,
    ];
    const single = [line("gid://shopify/CartLine/1", 5, 3, { variantId: cheap, ...product }), dearLine];
    const expected = new Map([[cheap, 14], [dear, 4796]]);
    expect(perVariant(single, 4810)).toEqual(expected);
    expect(perVariant(smallFirst, 4810)).toEqual(expected);
    expect(perVariant(largeFirst, 4810)).toEqual(expected);
  });

  it("adds up to the total and keeps every line within its cap", () => {
    const context = createPricingContext(
      cartOf([
        line("a", 300, 1, { variantId: cheap, ...product }),
        line("b", 300, 2, { variantId: cheap, ...product }),
        line("c", 100, 1, { variantId: dear, ...product }),
      ]),
    );
    const caps = context.lines.map((entry) => entry.subtotal);
    const amounts = allocateOverLines(context, 1000, [1, 1, 8], caps);
    expect(amounts.reduce((sum, amount) => sum + amount, 0)).toBe(1000);
    amounts.forEach((amount, index) => expect(amount).toBeLessThanOrEqual(caps[index] ?? 0));
    expect(amounts[context.lines.findIndex((entry) => entry.id === "c")]).toBe(100);
  });
});
