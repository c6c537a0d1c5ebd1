import { describe, expect, it } from "vitest";
import { createCsvOnlyTestProduct, createTestProduct } from "../../tests/factories/catalog";
import { createTestShop } from "../../tests/factories/shop";
import { listProductCards } from "./catalog.server";

describe("product cards", () => {
  it("never shows buyers a product known only from a products CSV, whatever its file said", async () => {
    const shopId = (await createTestShop()).id;
    const real = await createTestProduct(shopId, { title: "Wool Throw", price: 4000 });
    await createCsvOnlyTestProduct(shopId, { handle: "wool-cushion", title: "Wool Cushion", sku: "CUSH", price: 2500 });
    const cards = await listProductCards(shopId);
    expect(Object.fromEntries(cards.map((card) => [card.productId, card.published]))).toEqual({ [real.shopifyId]: true, "csv:wool-cushion": false });
  });
});
