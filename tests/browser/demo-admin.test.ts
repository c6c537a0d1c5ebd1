import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import db from "~/db.server";
import { blocksDefaultItems } from "~/core/storefront-blocks";
import { DEMO_API_SECRET, DEMO_SHOP_DOMAIN } from "~/env.server";
import { MAX_EVENT_BODY_BYTES } from "~/routes/proxy.events";
import { signAppProxyParams } from "~/services/app-proxy-signature.server";
import { MAX_FORWARDED_BODY_BYTES } from "~/services/storefront-preview/app-proxy-forward.server";
import { startAppServer, type RunningServer } from "../support/app-server";
import { launchChromium } from "../support/browser";

describe("the demo admin in Chromium", () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startAppServer({ DATABASE_URL: process.env.DATABASE_URL! });
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("opens /app without OAuth and shows the demo shop's name and counts", async () => {
    const [shop, products, orders] = await Promise.all([
      db.shop.findUniqueOrThrow({ where: { id: DEMO_SHOP_DOMAIN } }),
      db.product.count({ where: { shopId: DEMO_SHOP_DOMAIN } }),
      db.order.count({ where: { shopId: DEMO_SHOP_DOMAIN } }),
    ]);
    expect(products).toBeGreaterThan(1000);
    expect(orders).toBeGreaterThan(1000);

    const page = await browser.newPage();
    const response = await page.goto(`${server.url}/app`, { waitUntil: "networkidle", timeout: 90_000 });
    expect(response?.status()).toBe(200);
    // Locators wait: a fresh clone's first load may reload once while Vite optimises dependencies.
    await page.getByRole("heading", { name: "Dashboard", level: 1 }).waitFor({ state: "visible" });
    expect(await page.locator("#stat-products").innerText()).toBe(products.toLocaleString("en"));
    expect(await page.locator("#stat-orders").innerText()).toBe(orders.toLocaleString("en"));
    await page.getByText(shop.name, { exact: true }).first().waitFor({ state: "visible" });
    // The document is titled after the page (axe's "document-title").
    expect(await page.title()).toBe("Dashboard · Upshelf");
    await page.close();
  }, 120_000);

  it("navigates between admin pages from the sidebar", async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/app`, { waitUntil: "networkidle" });
    await page.getByRole("navigation").getByRole("link", { name: "Recommendations" }).click();
    await page.waitForURL(`${server.url}/app/recommendations`);
    await page.getByRole("heading", { name: "Recommendations", level: 1 }).waitFor({ state: "visible" });
    expect(await page.getByRole("heading", { level: 1 }).innerText()).toBe("Recommendations");
    // Navigating in the browser retitles the document too.
    await expect.poll(() => page.title()).toBe("Recommendations · Upshelf");
    await page.close();
  }, 60_000);

  it("shows a missing offer or an unknown address as an admin page with the way back, not the raw response", async () => {
    const page = await browser.newPage();
    const response = await page.goto(`${server.url}/app/bundles/999999999`, { waitUntil: "networkidle" });
    expect(response?.status()).toBe(404);
    await page.getByRole("heading", { name: "Not found", level: 1 }).waitFor({ state: "visible" });
    await page.getByText("No such offer in this shop.").waitFor({ state: "visible" });
    expect(await page.title()).toBe("Not found · Upshelf");
    // Still inside the admin: its navigation is there, and the button leads back to the offer's list.
    await page.getByRole("navigation").getByRole("link", { name: "Bundles" }).waitFor({ state: "visible" });
    await page.getByRole("link", { name: "Back to Bundles" }).click();
    await page.waitForURL(`${server.url}/app/bundles`);
    await page.getByRole("heading", { name: "Bundles", level: 1 }).waitFor({ state: "visible" });
    await expect.poll(() => page.title()).toBe("Bundles · Upshelf");

    const unknown = await page.goto(`${server.url}/app/no-such-page`, { waitUntil: "networkidle" });
    expect(unknown?.status()).toBe(404);
    await page.getByText("Upshelf has no page at this address.").waitFor({ state: "visible" });
    expect(await page.title()).toBe("Not found · Upshelf");
    await page.getByRole("link", { name: "Back to Dashboard" }).waitFor({ state: "visible" });
    await page.close();
  }, 60_000);

  it("keeps the demo's app proxy answering after a body too large for a route, and refuses bodies over its own limit", async () => {
    const product = await db.product.findFirstOrThrow({ where: { shopId: DEMO_SHOP_DOMAIN }, orderBy: { id: "asc" } });
    const ask = () => fetch(`${server.url}/apps/upshelf/recommendations?placement=pdp&product_id=${product.shopifyId}&limit=2`);
    // The events route answers 413 without reading the rest of the body; the proxy's connection
    // to the app is then reset, and the next request on it must still get through.
    const big = JSON.stringify({ events: [], padding: "x".repeat(MAX_EVENT_BODY_BYTES * 10) });
    for (let round = 0; round < 3; round++) {
      const refused = await fetch(`${server.url}/apps/upshelf/events`, { method: "POST", body: big, headers: { "Content-Type": "application/json" } });
      expect(refused.status).toBe(413);
      expect(await refused.json()).toMatchObject({ error: "payload_too_large" });
      const next = await ask();
      expect(next.status).toBe(200);
      expect(((await next.json()) as { anchor: string }).anchor).toBe(product.shopifyId);
    }
    const huge = await fetch(`${server.url}/apps/upshelf/events`, { method: "POST", body: "x".repeat(MAX_FORWARDED_BODY_BYTES + 1) });
    expect(huge.status).toBe(413);
    expect(await huge.json()).toEqual({ error: "payload_too_large", message: `The app proxy forwards bodies of at most ${MAX_FORWARDED_BODY_BYTES} bytes.` });
  }, 60_000);

  it("answers the storefront's signed recommendations request (server.ts serves it ahead of Remix)", async () => {
    const product = await db.product.findFirstOrThrow({ where: { shopId: DEMO_SHOP_DOMAIN }, orderBy: { id: "asc" } });
    const query = new URLSearchParams({ placement: "pdp", product_id: product.shopifyId, limit: "3" });
    const signed = signAppProxyParams(query, { shop: DEMO_SHOP_DOMAIN, secret: DEMO_API_SECRET, now: new Date() });
    const response = await fetch(`${server.url}/proxy/recommendations?${signed}`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { anchor: string; recommendations: { productId: string }[] };
    expect(body.anchor).toBe(product.shopifyId);
    // Asked for 3, served the placement's limit: a new shop's, what its product-page blocks show by default (2).
    expect(body.recommendations).toHaveLength(blocksDefaultItems("pdp"));
    const unsigned = await fetch(`${server.url}/proxy/recommendations?${query}`);
    expect(unsigned.status).toBe(401);
  }, 60_000);

  it("reports healthy with its database reachable", async () => {
    const response = await fetch(`${server.url}/healthz`);
    expect(response.status).toBe(200);
  });
});
