import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import db from "~/db.server";
import { DEMO_API_SECRET } from "~/env.server";
import { signAppProxyParams } from "./app-proxy-signature.server";
import { storefrontIdOf } from "~/core/catalog-keys";
import { createCsvOnlyTestProduct, createTestOrder, createTestProduct, type TestProduct } from "../../tests/factories/catalog";
import { answerRecommendations } from "./recommendations-endpoint.server";
import { createTestShop } from "../../tests/factories/shop";
import { handleRecommendationsHttp } from "./recommendations-endpoint.server";
import { getServingModel, recommendJson, SLATE_POOL_MAX_AGE_MS, SLATE_POOL_SIZE } from "./recommendations.server";
import { mulberry32 } from "~/core/ranking";

interface Served {
  productId: string;
  propensity: number;
}

describe("the recommendations endpoint on a plain Node server (as server.ts mounts it)", () => {
  let server: http.Server;
  let origin: string;
  let shopId: string;
  let anchor: TestProduct;
  let others: TestProduct[];

  beforeAll(async () => {
    shopId = (await createTestShop()).id;
    anchor = await createTestProduct(shopId, { title: "Anchor Mug", price: 1200 });
    others = [];
    for (const title of ["Coaster", "Teapot", "Spoon", "Tray", "Candle", "Cup"]) {
      others.push(await createTestProduct(shopId, { title, price: 500 }));
    }
    const day = (n: number) => new Date(Date.UTC(2026, 9, n));
    for (const [index, product] of others.entries()) {
      for (let n = 0; n < 6 - index; n++) await createTestOrder(shopId, [anchor, product], day(1 + n));
    }
    server = http.createServer(handleRecommendationsHttp);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  // Pairs as well as an object, so a test can repeat a key (signed the way Shopify signs it).
  const signed = (query: Record<string, string> | Array<[string, string]>, secret = DEMO_API_SECRET) =>
    `${origin}/proxy/recommendations?${signAppProxyParams(new URLSearchParams(query), { shop: shopId, secret, now: new Date() })}`;

  it("answers a signed product-page request with JSON the widget reads", async () => {
    const response = await fetch(signed({ placement: "pdp", product_id: anchor.shopifyId, limit: "2" }));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const body = (await response.json()) as { placement: string; modelVersion: string; anchor: string; recommendations: Served[] };
    expect(body).toMatchObject({ placement: "pdp", anchor: anchor.shopifyId, modelVersion: expect.any(String) });
    expect(body.recommendations).toHaveLength(2);
    const known = new Set(others.map((product) => product.shopifyId));
    for (const item of body.recommendations) {
      expect(known.has(item.productId)).toBe(true);
      expect(item.propensity).toBeGreaterThan(0);
      expect(item.propensity).toBeLessThanOrEqual(1);
    }
  });

  it("refuses a forged signature and names the bad field of a bad request, as JSON", async () => {
    const forged = await fetch(signed({ placement: "pdp", product_id: anchor.shopifyId }, "not-the-secret"));
    expect(forged.status).toBe(401);
    expect(await forged.json()).toMatchObject({ error: "bad_signature" });

    const bad = await fetch(signed({ placement: "pdp", product_id: anchor.shopifyId, limit: "99" }));
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: "invalid_request", fields: { limit: ["must be at most 20"] } });

    const unknown = await fetch(signed({ placement: "pdp", product_id: "999999999" }));
    expect(unknown.status).toBe(404);
  });

  it.each(["pdp", "cart"] as const)(
    "serves the %s placement from a pool of drawn slates whose logged propensities are their frequencies",
    async (placement) => {
      const model = await getServingModel(shopId);
      const rng = mulberry32(11);
      const context =
        placement === "pdp"
          ? { placement, productId: anchor.shopifyId }
          : { placement, productIds: [anchor.shopifyId, others[5]!.shopifyId] };
      const served = Array.from({ length: 400 }, () => JSON.parse(recommendJson(model, context, 2, { rng })) as Served[]);
      const distinct = new Set(served.map((slate) => JSON.stringify(slate)));
      expect(distinct.size).toBeGreaterThan(1);
      expect(distinct.size).toBeLessThanOrEqual(SLATE_POOL_SIZE);
      if (placement === "cart") {
        const shown = served.flatMap((slate) => slate.map((item) => item.productId));
        expect(shown).not.toContain(anchor.shopifyId);
        expect(shown).not.toContain(others[5]!.shopifyId);
      }
      // Every item seen first, with its propensity: together they make up the whole pool.
      const firstPlace = new Map(served.map((slate) => [slate[0]!.productId, slate[0]!.propensity]));
      const total = [...firstPlace.values()].reduce((sum, value) => sum + value, 0);
      expect(total).toBeCloseTo(1, 3);
      for (const value of firstPlace.values()) expect(value * SLATE_POOL_SIZE).toBeCloseTo(Math.round(value * SLATE_POOL_SIZE), 3);
    }
  );
  it("keeps a pool until it is SLATE_POOL_MAX_AGE_MS old, then draws a new one, so exploration goes on without new events", async () => {
    const model = await getServingModel(shopId);
    const context = { placement: "pdp" as const, productId: anchor.shopifyId };
    const start = Date.now() + 10 * SLATE_POOL_MAX_AGE_MS;
    const poolAt = (now: number, seed: number) => {
      const rng = mulberry32(seed);
      return new Set(Array.from({ length: 200 }, () => recommendJson(model, context, 3, { rng, now })));
    };
    const first = poolAt(start, 1);
    // Before the age limit every request is served from the same pool, whatever the rng.
    expect([...poolAt(start + SLATE_POOL_MAX_AGE_MS - 1, 2)].every((slate) => first.has(slate))).toBe(true);
    // After it, a new pool drawn with a different rng holds slates the first never had.
    const later = poolAt(start + SLATE_POOL_MAX_AGE_MS, 3);
    expect([...later].some((slate) => !first.has(slate))).toBe(true);
  });

  const problems = async (response: Response) => {
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: string; message: string; fields: Record<string, string[]> };
    expect(body.error).toBe("invalid_request");
    return body;
  };

  it("GIVEN variant_ids repeated (signed by Shopify as one comma list) THEN every one is in the cart and none is recommended", async () => {
    const cart = [anchor, ...others];
    const url = signed([["placement", "cart"], ["limit", "20"], ...cart.map((product): [string, string] => ["variant_ids", product.variantShopifyId])]);
    expect(new URL(url).searchParams.getAll("variant_ids")).toHaveLength(cart.length);
    const response = await fetch(url);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { recommendations: Served[] };
    const inCart = new Set(cart.map((product) => product.shopifyId));
    expect(body.recommendations.filter((item) => inCart.has(item.productId))).toEqual([]);
  });

  it.each([
    ["placement", ["pdp", "cart"], "must be pdp, cart or post_purchase"],
    ["product_id", ["1", "2"], "must be a numeric Shopify id"],
    ["limit", ["3", "4"], "must be a whole number written in decimal digits, such as 4"],
  ])("GIVEN %s repeated THEN it reads as its values joined by commas, as signed, and the answer is a 400 naming it", async (field, values, message) => {
    const valid: Record<string, string> = { placement: "pdp", product_id: anchor.shopifyId, limit: "3" };
    const pairs = Object.entries(valid).filter(([key]) => key !== field);
    const body = await problems(await fetch(signed([...pairs, ...values.map((value): [string, string] => [field, value])])));
    expect(body.fields).toEqual({ [field]: [message] });
    expect(body.message).toBe(`${field}: ${message}`);
  });

  it.each([
    ["1e1", "must be a whole number written in decimal digits, such as 4"],
    ["0x10", "must be a whole number written in decimal digits, such as 4"],
    ["abc", "must be a whole number written in decimal digits, such as 4"],
    ["2.5", "must be a whole number written in decimal digits, such as 4"],
    ["+4", "must be a whole number written in decimal digits, such as 4"],
    [" 4", "must be a whole number written in decimal digits, such as 4"],
    ["", "must be a whole number, not empty"],
    [" ", "must be a whole number, not empty"],
    ["-3", "must be at least 1"],
    ["0", "must be at least 1"],
    ["21", "must be at most 20"],
    ["99999999999999999999999", "must be at most 20"],
  ])("GIVEN limit=%j THEN 400: limit %s", async (limit, message) => {
    const body = await problems(await fetch(signed({ placement: "pdp", product_id: anchor.shopifyId, limit })));
    expect(body.fields).toEqual({ limit: [message] });
  });

  it("takes limit written in plain decimal digits (the shop's pdp setting, 2 by default, still caps it)", async () => {
    const read = async (query: Record<string, string>) => {
      const response = await fetch(signed({ placement: "pdp", product_id: anchor.shopifyId, ...query }));
      expect(response.status).toBe(200);
      return ((await response.json()) as { recommendations: Served[] }).recommendations;
    };
    expect(await read({ limit: "1" })).toHaveLength(1);
    expect(await read({ limit: "02" })).toHaveLength(2);
    expect(await read({ limit: "20" })).toHaveLength(2);
  });

  it("GIVEN a cart of 150 units of one variant, one id per cart line THEN repeats count once and it is served", async () => {
    const lines = Array.from({ length: 150 }, () => anchor.variantShopifyId);
    const response = await fetch(signed({ placement: "cart", variant_ids: lines.join(",") }));
    expect(response.status).toBe(200);
    const body = (await response.json()) as { anchor: string; recommendations: Served[] };
    expect(body.anchor).toBe(anchor.shopifyId);
    expect(body.recommendations.length).toBeGreaterThan(0);
    expect(body.recommendations.map((item) => item.productId)).not.toContain(anchor.shopifyId);
  });

  it("GIVEN a wholesale cart of 150 distinct variants THEN it is served, and an item past the 100th line is still not offered", async () => {
    const lines = [...Array.from({ length: 149 }, (_, index) => String(5000 + index)), anchor.variantShopifyId];
    const response = await fetch(signed({ placement: "cart", variant_ids: lines.join(",") }));
    expect(response.status).toBe(200);
    const body = (await response.json()) as { recommendations: Served[] };
    expect(body.recommendations.length).toBeGreaterThan(0);
    expect(body.recommendations.map((item) => item.productId)).not.toContain(anchor.shopifyId);
  });

  it("limits variant_ids to 500 distinct variants (the lines /cart/price takes), and the list as sent to 1,000 ids, repeats included", async () => {
    const distinct = Array.from({ length: 501 }, (_, index) => String(1000 + index));
    const tooMany = await problems(await fetch(signed({ placement: "cart", variant_ids: distinct.join(",") })));
    expect(tooMany.fields).toEqual({ variant_ids: ["at most 500 variants"] });

    const atCap = [...distinct.slice(0, 500), ...Array.from({ length: 500 }, () => "1000")];
    expect((await fetch(signed({ placement: "cart", variant_ids: atCap.join(",") }))).status).toBe(200);

    const overCap = await problems(await fetch(signed({ placement: "cart", variant_ids: [...atCap, "1000"].join(",") })));
    expect(overCap.fields).toEqual({ variant_ids: ["at most 1000 ids, repeats included"] });
    // Empty entries are part of the list as sent.
    const commas = await problems(await fetch(signed({ placement: "cart", variant_ids: `1${",".repeat(1000)}` })));
    expect(commas.fields).toEqual({ variant_ids: ["at most 1000 ids, repeats included"] });
  });
});

describe("the recommendations endpoint for a product imported from a CSV file (the demo shop's storefront)", () => {
  it("answers the numeric id the storefront gives it (its row's), with an anchor /events takes", async () => {
    const shopId = (await createTestShop()).id;
    const shirt = await createCsvOnlyTestProduct(shopId, { handle: "example-shirt", title: "Example T-Shirt", sku: "SRT_COT_111", price: 2500 });
    const others: TestProduct[] = [];
    for (const title of ["Socks", "Cap", "Scarf"]) others.push(await createTestProduct(shopId, { title, price: 900 }));
    for (const [index, product] of others.entries()) {
      for (let n = 0; n <= index; n++) await createTestOrder(shopId, [shirt, product], new Date(Date.UTC(2026, 9, 1 + n)));
    }
    const productId = storefrontIdOf("product", { id: shirt.id, shopifyId: shirt.shopifyId });
    const variant = await db.variant.findFirstOrThrow({ where: { shopId, shopifyId: shirt.variantShopifyId }, select: { id: true, shopifyId: true } });
    const ask = (query: Record<string, string>) =>
      answerRecommendations(signAppProxyParams(new URLSearchParams(query), { shop: shopId, secret: DEMO_API_SECRET, now: new Date() }));

    const pdp = await ask({ placement: "pdp", product_id: productId });
    expect(pdp.status).toBe(200);
    const body = JSON.parse(pdp.body) as { anchor: string; recommendations: Served[] };
    expect(body.anchor).toBe(productId);
    expect(body.recommendations.length).toBeGreaterThan(0);
    const known = new Set(others.map((product) => product.shopifyId));
    for (const item of body.recommendations) expect(known.has(item.productId)).toBe(true);

    const cart = await ask({ placement: "cart", variant_ids: storefrontIdOf("variant", variant) });
    expect(cart.status).toBe(200);
    expect((JSON.parse(cart.body) as { recommendations: Served[] }).recommendations.length).toBeGreaterThan(0);
  });
});
