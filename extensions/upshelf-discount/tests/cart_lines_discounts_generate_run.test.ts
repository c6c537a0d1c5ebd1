import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cartLinesDiscountsGenerateRun } from "../src/cart_lines_discounts_generate_run";
import type { CartLinesDiscountsGenerateRunInput } from "../src/api-types";

const fixtures = join(import.meta.dirname, "fixtures");
const read = (name: string): unknown => JSON.parse(readFileSync(join(fixtures, name), "utf8"));
const inputs = readdirSync(fixtures).filter((name) => name.endsWith(".input.json"));

describe("cart.lines.discounts.generate.run on Shopify-shaped fixtures", () => {
  it.each(inputs)("%s gives the expected operations", (name) => {
    const input = read(name) as CartLinesDiscountsGenerateRunInput;
    expect(cartLinesDiscountsGenerateRun(input)).toEqual(read(name.replace(".input.json", ".output.json")));
  });

  it("GIVEN a bundle and a spend tier THEN fixed amounts per line and one order discount, to the cent", () => {
    const input = read("bundle-and-spend-tier-usd.input.json") as CartLinesDiscountsGenerateRunInput;
    // 12.99 + 9.99 bundle at 10%: 2.298 → 2.30, split 1.30 / 1.00. Spend 67.98 - 2.30 = 65.68 ≥ 50: 5% = 3.28.
    expect(cartLinesDiscountsGenerateRun(input)).toEqual({
      operations: [
        {
          productDiscountsAdd: {
            selectionStrategy: "ALL",
            candidates: [
              {
                message: "Bundle: save 10%",
                targets: [{ cartLine: { id: "gid://shopify/CartLine/1", quantity: 1 } }],
                value: { fixedAmount: { amount: "1.30" } },
              },
              {
                message: "Bundle: save 10%",
                targets: [{ cartLine: { id: "gid://shopify/CartLine/2", quantity: 1 } }],
                value: { fixedAmount: { amount: "1.00" } },
              },
            ],
          },
        },
        {
          orderDiscountsAdd: {
            selectionStrategy: "FIRST",
            candidates: [
              {
                message: "Spend 50.00 USD: save 5%",
                targets: [{ orderSubtotal: { excludedCartLineIds: [] } }],
                value: { fixedAmount: { amount: "3.28" } },
              },
            ],
          },
        },
      ],
    });
  });

  it("reads the metafield's `value` string when `jsonValue` is not queried", () => {
    const input = read("buy-two-get-one-free-jpy.input.json") as CartLinesDiscountsGenerateRunInput;
    const withValue = { ...input, discount: { ...input.discount, metafield: { value: JSON.stringify(input.discount.metafield?.jsonValue) } } };
    expect(cartLinesDiscountsGenerateRun(withValue)).toEqual(read("buy-two-get-one-free-jpy.output.json"));
  });

  it("gives nothing for a discount without product or order class, an empty cart, or mixed currencies", () => {
    const input = read("bundle-and-spend-tier-usd.input.json") as CartLinesDiscountsGenerateRunInput;
    expect(cartLinesDiscountsGenerateRun({ ...input, discount: { ...input.discount, discountClasses: ["SHIPPING"] } })).toEqual({ operations: [] });
    expect(cartLinesDiscountsGenerateRun({ ...input, cart: { lines: [] } })).toEqual({ operations: [] });
    const [first, ...rest] = input.cart.lines;
    if (!first) throw new Error("fixture has lines");
    const euro = { ...first, cost: { amountPerQuantity: { amount: "12.99", currencyCode: "EUR" } } };
    expect(cartLinesDiscountsGenerateRun({ ...input, cart: { lines: [euro, ...rest] } })).toEqual({ operations: [] });
  });

  it("never throws, whatever the configuration holds, and gives nothing without one", () => {
    const input = read("bundle-and-spend-tier-usd.input.json") as CartLinesDiscountsGenerateRunInput;
    // Shopify runs no query without the metafield (its variables would be null), but a discount
    // created by hand in the admin API could still reach the function without one.
    expect(cartLinesDiscountsGenerateRun({ ...input, discount: { ...input.discount, metafield: null } })).toEqual({ operations: [] });
    for (const jsonValue of [null, 42, "text", [], { v: 1 }, { v: 1, c: "USD", o: [null] }, { v: 1, c: "USD", o: [{ k: "st", i: "x", p: 0, c: 0, r: [] }] }]) {
      expect(cartLinesDiscountsGenerateRun({ ...input, discount: { ...input.discount, metafield: { jsonValue } } })).toEqual({ operations: [] });
    }
  });
});
