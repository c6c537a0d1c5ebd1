import { beforeAll, describe, expect, it, vi } from "vitest";
import type * as envModule from "~/env.server";
import db from "~/db.server";
import { createCsvOnlyTestProduct, type TestProduct } from "../../../tests/factories/catalog";
import { createTestShop } from "../../../tests/factories/shop";
import { runJob, waitForJob } from "~/services/jobs.server";
import { findCsvImport, startCsvImport } from "~/services/csv-import/import-jobs.server";

// A product imported from a CSV file into the demo shop (keys `csv:<handle>`, no Shopify id) must
// be sold by the preview storefront the way Shopify sells any product: under numeric ids.
const demo = vi.hoisted(() => ({ shop: "" }));
vi.mock("~/env.server", async (importOriginal) => {
  const actual = await importOriginal<typeof envModule>();
  return { ...actual, getEnv: () => ({ mode: "demo", nodeEnv: "test", port: 0, demoShop: demo.shop }) };
});

const { loader } = await import("~/routes/preview.products.$handle");
const { action: addJs } = await import("~/routes/preview.cart.add[.js]");
const { action: addForm } = await import("~/routes/preview.cart.add");
const { loader: cartJs } = await import("~/routes/preview.cart[.js]");

interface ProductJs { id: number; variants: { id: number; title: string }[] }

describe("a CSV-imported product in the preview storefront", () => {
  let shirt: TestProduct;

  beforeAll(async () => {
    const shop = await createTestShop({ currency: "GBP" });
    demo.shop = shop.id;
    shirt = await createCsvOnlyTestProduct(shop.id, { handle: "example-shirt", title: "Example T-Shirt", sku: "SRT_COT_111", price: 2500, currency: "GBP" });
    await db.variant.create({ data: { shopId: shop.id, productId: shirt.id, shopifyId: "csv:example-shirt/SRT_COT_122", title: "Green / M", sku: "SRT_COT_122", priceAmount: 2500, currency: "GBP" } });
  });

  async function productJs(): Promise<ProductJs> {
    const response = await loader({ request: new Request("http://localhost/preview/products/example-shirt.js"), params: { handle: "example-shirt.js" }, context: {} });
    expect(response.status).toBe(200);
    return (await response.json()) as ProductJs;
  }

  it("states numeric product and variant ids, in the Ajax JSON and in the page's form", async () => {
    const json = await productJs();
    expect(Number.isSafeInteger(json.id)).toBe(true);
    expect(json.variants).toHaveLength(2);
    for (const variant of json.variants) expect(Number.isSafeInteger(variant.id)).toBe(true);
    expect(new Set(json.variants.map((variant) => variant.id)).size).toBe(2);

    const page = await loader({ request: new Request("http://localhost/preview/products/example-shirt"), params: { handle: "example-shirt" }, context: {} });
    const html = await page.text();
    expect(html).not.toMatch(/NaN|csv:/);
    for (const variant of json.variants) expect(html).toContain(`value="${variant.id}"`);
    // The widgets ask for recommendations with the product's numeric id.
    expect(html).toContain(`data-product-id="${json.id}"`);
  });

  it("adds a chosen variant to the cart, which cart.js states under the same ids", async () => {
    const json = await productJs();
    const second = json.variants[1] as { id: number };
    const added = await addJs({
      request: new Request("http://localhost/preview/cart/add.js", { method: "POST", body: JSON.stringify({ id: second.id, quantity: 1 }), headers: { "Content-Type": "application/json" } }),
      params: {},
      context: {},
    });
    expect(added.status).toBe(200);
    const cookie = (added.headers.get("Set-Cookie") ?? "").split(";")[0] ?? "";
    const cart = (await (await cartJs({ request: new Request("http://localhost/preview/cart.js", { headers: { Cookie: cookie } }), params: {}, context: {} })).json()) as {
      items: { id: number; variant_id: number; product_id: number; quantity: number }[];
    };
    expect(cart.items).toHaveLength(1);
    expect(cart.items[0]).toMatchObject({ id: second.id, variant_id: second.id, product_id: json.id, quantity: 1 });
  });

  it("answers a product form it cannot take with a page naming the problem, as Shopify's storefront does, not with JSON", async () => {
    const post = (body: string) =>
      addForm({ request: new Request("http://localhost/preview/cart/add", { method: "POST", body, headers: { "Content-Type": "application/x-www-form-urlencoded" } }), params: {}, context: {} });
    const bad = await post("id=NaN&quantity=1");
    expect(bad.status).toBe(400);
    expect(bad.headers.get("Content-Type")).toMatch(/^text\/html/);
    const html = await bad.text();
    expect(html).toContain("<h1>Oops!</h1>");
    expect(html).toContain("must be a numeric variant id");
    expect(html).toContain('href="/preview/cart"');

    // The variant the page's form names goes into the cart, and the buyer lands on the cart page.
    const json = await productJs();
    const good = await post(`id=${json.variants[0]?.id}&quantity=1`);
    expect(good.status).toBe(303);
    expect(good.headers.get("Location")).toBe("/preview/cart");
  });

  it("sells a shirt imported with the admin's CSV import, options and all, as Shopify's template lists it", async () => {
    const csv = [
      "Handle,Title,Body (HTML),Vendor,Type,Tags,Published,Option1 Name,Option1 Value,Option2 Name,Option2 Value,Variant SKU,Variant Inventory Tracker,Variant Inventory Qty,Variant Inventory Policy,Variant Price,Status",
      "linen-shirt,Linen Shirt,<p>Cool.</p>,Acme,Shirts,,TRUE,Color,Green,Size,S,LIN_G_S,,,deny,25.00,active",
      "linen-shirt,,,,,,,,Green,,M,LIN_G_M,,,deny,25.00,",
      "linen-shirt,,,,,,,,Blue,,S,LIN_B_S,,,deny,27.00,",
    ].join("\n");
    const job = await startCsvImport(demo.shop, "products", { fileName: "products.csv", text: csv }, { start: false });
    await runJob(job.id);
    await waitForJob(demo.shop, job.id);
    expect((await findCsvImport(demo.shop, job.id))?.status).toBe("done");
    expect(await db.product.findFirst({ where: { shopId: demo.shop, handle: "linen-shirt" }, select: { shopifyId: true } })).toEqual({ shopifyId: "csv:linen-shirt" });

    const page = await loader({ request: new Request("http://localhost/preview/products/linen-shirt"), params: { handle: "linen-shirt" }, context: {} });
    const html = await page.text();
    const values = [...html.matchAll(/<option value="([^"]*)"/g)].map((match) => match[1]);
    expect(values).toHaveLength(3);
    for (const value of values) expect(value).toMatch(/^\d+$/);
    expect(new Set(values).size).toBe(3);

    const blue = values[2] as string;
    const added = await addForm({ request: new Request("http://localhost/preview/cart/add", { method: "POST", body: `id=${blue}&quantity=1`, headers: { "Content-Type": "application/x-www-form-urlencoded" } }), params: {}, context: {} });
    expect(added.status).toBe(303);
    const cookie = (added.headers.get("Set-Cookie") ?? "").split(";")[0] ?? "";
    const cart = (await (await cartJs({ request: new Request("http://localhost/preview/cart.js", { headers: { Cookie: cookie } }), params: {}, context: {} })).json()) as {
      items: { variant_id: number; variant_title: string; price: number }[];
    };
    expect(cart.items).toEqual([expect.objectContaining({ variant_id: Number(blue), price: 2700 })]);
  });
});
