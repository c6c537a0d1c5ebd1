import { beforeAll, describe, expect, it, vi } from "vitest";
import type * as envModule from "~/env.server";
import { createOffer } from "~/models/offer.server";
import { createTestProduct, type TestProduct } from "../../../tests/factories/catalog";
import { createTestShop } from "../../../tests/factories/shop";

// The preview storefront serves the demo shop; here a fresh test shop plays that part.
const demo = vi.hoisted(() => ({ shop: "" }));
vi.mock("~/env.server", async (importOriginal) => {
  const actual = await importOriginal<typeof envModule>();
  return { ...actual, getEnv: () => ({ mode: "demo", nodeEnv: "test", port: 0, demoShop: demo.shop }) };
});

const { loader } = await import("~/routes/preview.products.$handle");

describe("the preview product page and the storefront offer index", () => {
  let covered: TestProduct;
  let uncovered: TestProduct;
  let ladderBottom: TestProduct;

  beforeAll(async () => {
    const shop = await createTestShop({ currency: "GBP" });
    demo.shop = shop.id;
    [covered, uncovered, ladderBottom] = await Promise.all(
      ["Tea Cup", "Egg Cup", "Small Tin"].map((title) => createTestProduct(shop.id, { title, price: 995, currency: "GBP" })),
    ) as [TestProduct, TestProduct, TestProduct];
    const top = await createTestProduct(shop.id, { title: "Large Tin", price: 1495, currency: "GBP" });
    for (const input of [
      {
        type: "quantityBreaks",
        title: "Multibuy",
        // By variant: the index maps it to its product through the shop's catalog.
        eligible: { variantIds: [`gid://shopify/ProductVariant/${covered.variantShopifyId}`] },
        tiers: [{ minQuantity: 2, value: { kind: "percentage", percent: 10 } }],
      },
      { type: "upgradeLadder", title: "Bigger tin", steps: [{ ref: { productId: `gid://shopify/Product/${ladderBottom.shopifyId}` } }, { ref: { productId: `gid://shopify/Product/${top.shopifyId}` } }], incentive: null },
    ]) {
      const saved = await createOffer(shop.id, { status: "active", ...input });
      if (!saved.ok) throw new Error(JSON.stringify(saved.issues));
    }
  });

  async function blocksOn(product: TestProduct) {
    const handle = `${product.title.toLowerCase().replace(/[^a-z0-9]+/g, "-")}-${product.shopifyId}`;
    const response = await loader({ request: new Request(`http://localhost/preview/products/${handle}`), params: { handle }, context: {} });
    expect(response.status).toBe(200);
    const html = await response.text();
    return { quantityBreaks: /data-upshelf="quantity-breaks"/.test(html), upgrade: /data-upshelf="upgrade"/.test(html), fbt: /data-upshelf="fbt"/.test(html) };
  }

  it("renders the quantity-breaks section only on a product a live offer covers, computed from the database's offers", async () => {
    expect(await blocksOn(covered)).toEqual({ quantityBreaks: true, upgrade: false, fbt: true });
    expect(await blocksOn(uncovered)).toEqual({ quantityBreaks: false, upgrade: false, fbt: true });
  });

  it("renders the upgrade section only on a step below the top of a live ladder", async () => {
    expect(await blocksOn(ladderBottom)).toEqual({ quantityBreaks: false, upgrade: true, fbt: true });
  });
});
