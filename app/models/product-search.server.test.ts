import { beforeAll, describe, expect, it } from "vitest";
import db from "~/db.server";
import { upsertProducts } from "~/services/ingest";
import { searchProducts } from "~/services/recommendations-preview.server";
import { createTestProduct, type TestProduct } from "../../tests/factories/catalog";
import { createTestShop } from "../../tests/factories/shop";
import { foldStoredProductTitles } from "./product-search.server";

// These run on SQLite (npm test) and on PostgreSQL (npm run test:postgres) alike.
const titles = async (shopId: string, query: string, limit = 20) => (await searchProducts(shopId, query, limit)).map((product) => product.title);

describe("the product picker's search", () => {
  let shopId: string;
  let otherShopId: string;
  let vase: TestProduct;

  beforeAll(async () => {
    shopId = (await createTestShop()).id;
    otherShopId = (await createTestShop()).id;
    for (const title of ["Été Candle", "ÜBER MUG", "blue mug", "Mug Rack", "ΟΔΟΣ Print", "Plain Vase"]) {
      const product = await createTestProduct(shopId, { title, price: 1000 });
      if (title === "Plain Vase") vase = product;
    }
    // Found by its handle only: the title says nothing of a mug.
    await db.product.update({ where: { id: (await createTestProduct(shopId, { title: "Lantern", price: 900 })).id }, data: { handle: "mug-lantern" } });
    await createTestProduct(otherShopId, { title: "Another shop's mug", price: 1000 });
  });

  it("ignores case beyond ASCII, as JavaScript lower-cases, on either database", async () => {
    expect(await titles(shopId, "été")).toEqual(["Été Candle"]);
    expect(await titles(shopId, "ÉTÉ")).toEqual(["Été Candle"]);
    expect(await titles(shopId, "über")).toEqual(["ÜBER MUG"]);
    expect(await titles(shopId, "  Über  ")).toEqual(["ÜBER MUG"]);
    // A capital sigma ending a word lower-cases to the final form (ς), in the title and the query alike.
    expect(await titles(shopId, "ΟΔΟΣ")).toEqual(["ΟΔΟΣ Print"]);
    expect(await titles(shopId, "οδος")).toEqual(["ΟΔΟΣ Print"]);
    expect(await titles(shopId, "")).toEqual([]);
  });

  it("lists the product with that id first, then titles starting with the query, then titles containing it, then handles, each alphabetically", async () => {
    const named = await createTestProduct(shopId, { title: `Vase stand for ${vase.shopifyId}`, price: 500 });
    expect(await titles(shopId, vase.shopifyId)).toEqual(["Plain Vase", named.title]);
    expect(await titles(shopId, "MUG")).toEqual(["Mug Rack", "blue mug", "ÜBER MUG", "Lantern"]);
    expect(await titles(shopId, "mug", 2)).toEqual(["Mug Rack", "blue mug"]);
    // A handle is compared as stored, with the query in lower case.
    expect(await titles(shopId, "mug-lantern")).toEqual(["Lantern"]);
    expect(await titles(shopId, "MUG-LANTERN")).toEqual(["Lantern"]);
  });

  it("returns at most the limit, alphabetically by title among equals, and only the shop's own products", async () => {
    const shop = (await createTestShop()).id;
    for (let index = 0; index < 25; index++) await createTestProduct(shop, { title: `Bowl ${index}`, price: 300 });
    const found = await titles(shop, "bowl", 8);
    expect(found).toEqual(Array.from({ length: 25 }, (_, index) => `Bowl ${index}`).sort().slice(0, 8));
    expect(await titles(otherShopId, "mug")).toEqual(["Another shop's mug"]);
    expect(await titles(shop, "mug")).toEqual([]);
  });

  it("still lists pinned and excluded products, with their price", async () => {
    const shop = (await createTestShop()).id;
    const pinned = await createTestProduct(shop, { title: "Pinned Teapot", price: 2500 });
    const excluded = await createTestProduct(shop, { title: "Excluded Teapot", price: 1500 });
    await db.recommendationRule.create({ data: { shopId: shop, kind: "pin", productId: pinned.shopifyId } });
    await db.recommendationRule.create({ data: { shopId: shop, kind: "exclude", productId: excluded.shopifyId } });
    expect(await searchProducts(shop, "teapot")).toEqual([
      { productId: excluded.shopifyId, title: "Excluded Teapot", handle: expect.any(String), price: { amount: 1500, currency: "USD" }, notInShopify: false },
      { productId: pinned.shopifyId, title: "Pinned Teapot", handle: expect.any(String), price: { amount: 2500, currency: "USD" }, notInShopify: false },
    ]);
  });

  it("finds a product by the title its last sync gave it, not its earlier one", async () => {
    const shop = (await createTestShop()).id;
    const product = { shopifyId: "880001", handle: "plate", variants: [{ shopifyId: "990001", price: 1200, currency: "USD" }] };
    await upsertProducts(shop, [{ ...product, title: "ÉCLAIR Plate" }]);
    expect(await titles(shop, "éclair")).toEqual(["ÉCLAIR Plate"]);
    await upsertProducts(shop, [{ ...product, title: "Crème Plate" }]);
    expect(await titles(shop, "CRÈME")).toEqual(["Crème Plate"]);
    expect(await titles(shop, "éclair")).toEqual([]);
  });

  it("folds, at start-up, the titles the migration left for the app to fold", async () => {
    const shop = (await createTestShop()).id;
    const product = await createTestProduct(shop, { title: "Große Tasse", price: 1200 });
    // As the migration leaves a title beyond printable ASCII.
    await db.product.update({ where: { id: product.id }, data: { titleFolded: "" } });
    expect(await titles(shop, "große")).toEqual([]);
    expect(await foldStoredProductTitles(1)).toBeGreaterThanOrEqual(1);
    expect(await titles(shop, "große")).toEqual(["Große Tasse"]);
    expect(await db.product.count({ where: { shopId: shop, titleFolded: "" } })).toBe(0);
  });
});
