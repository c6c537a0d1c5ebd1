import { describe, expect, it } from "vitest";
import db from "~/db.server";
import { createTestProduct } from "../../tests/factories/catalog";
import { createTestShop } from "../../tests/factories/shop";
import { listProductCards } from "./catalog.server";

describe("product cards", () => {
  it("never shows buyers a product known only from a products CSV, whatever its file said", async () => {
    const shopId = (await createTestShop()).id;
    const real = await createTestProduct(shopId, { title: "Wool Throw", price: 4000 });
    await db.product.create({
      data: {
        shopId,
        shopifyId: "csv:wool-cushion",
        handle: "wool-cushion",
        title: "Wool Cushion",
        status: "active",
        publishedAt: new Date("2024-01-01T00:00:00Z"),
        variants: { create: { shopId, shopifyId: "csv:wool-cushion/CUSH", priceAmount: 2500, currency: "USD" } },
      },
    });
    const cards = await listProductCards(shopId);
    expect(Object.fromEntries(cards.map((card) => [card.productId, card.published]))).toEqual({ [real.shopifyId]: true, "csv:wool-cushion": false });
  });
});
