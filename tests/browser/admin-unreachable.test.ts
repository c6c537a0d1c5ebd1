import type { Browser, Page, Route } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import db from "~/db.server";
import { DEMO_SHOP_DOMAIN } from "~/env.server";
import { createOffer } from "~/models/offer.server";
import { startBuiltAppServer, type RunningServer } from "../support/app-server";
import { launchChromium } from "../support/browser";

/**
 * The demo admin when Upshelf cannot be reached: a save whose request is cut off, or answered by a
 * proxy's 502 page, keeps the page and what was typed, and says so; the next save goes through
 * (docs/decisions/0013). Remix fetches a page's data and sends its actions at `<page>.data`.
 */
describe("the demo admin when Upshelf cannot be reached, in Chromium", () => {
  let server: RunningServer;
  let browser: Browser;
  const titles = ["Cups to cut off (browser test)", "Cups that survived (browser test)"];

  beforeAll(async () => {
    server = await startBuiltAppServer({ DATABASE_URL: process.env.DATABASE_URL! });
    browser = await launchChromium();
  }, 300_000);

  afterAll(async () => {
    // The demo shop is shared with the other browser tests of this run: leave it as it was.
    await db.offer.deleteMany({ where: { shopId: DEMO_SHOP_DOMAIN, title: { in: titles } } });
    await browser?.close();
    await server?.stop();
  });

  const isData = (url: URL) => url.pathname.endsWith(".data");
  const bareErrorPage = (page: Page) => page.getByText("Application Error").count();

  it("GIVEN an edited offer WHEN its save is cut off, then answered by a proxy's 502 page THEN the form keeps everything and says so, and the next save saves", async () => {
    const cup = await db.product.findFirstOrThrow({ where: { shopId: DEMO_SHOP_DOMAIN }, select: { shopifyId: true }, orderBy: { id: "asc" } });
    const created = await createOffer(DEMO_SHOP_DOMAIN, {
      type: "quantityBreaks",
      title: titles[0],
      status: "active",
      eligible: { productIds: [`gid://shopify/Product/${cup.shopifyId}`] },
      tiers: [
        { minQuantity: 2, value: { kind: "percentage", percent: 10 } },
        { minQuantity: 4, value: { kind: "percentage", percent: 20 } },
      ],
    });
    if (!created.ok) throw new Error(JSON.stringify(created.issues));
    const before = await db.offer.findFirstOrThrow({ where: { id: created.offer.id } });

    const page = await browser.newPage();
    await page.goto(`${server.url}/app/tiers/${created.offer.id}`, { waitUntil: "networkidle", timeout: 90_000 });
    await page.getByRole("heading", { name: titles[0], level: 1 }).waitFor({ state: "visible" });
    await page.getByLabel("Title").fill(titles[1] as string);
    await page.locator("#tier-1-value").fill("25");

    let posts = 0;
    let failWith: (route: Route) => Promise<void> = (route) => route.abort("connectionreset");
    await page.route(isData, async (route) => {
      if (route.request().method() !== "POST") return route.continue();
      posts += 1;
      return failWith(route);
    });
    const message = page.getByText("Couldn't save: Upshelf could not be reached. Your changes are still here; check your connection and try again.");
    const stillAsTyped = async () => {
      expect(await page.getByLabel("Title").inputValue()).toBe(titles[1]);
      expect(await page.locator("#tier-1-value").inputValue()).toBe("25");
      expect(await bareErrorPage(page)).toBe(0);
      expect(await page.getByText("Saved", { exact: true }).count()).toBe(0);
      expect(await db.offer.findFirstOrThrow({ where: { id: created.offer.id } })).toEqual(before);
    };

    // The connection drops.
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await expect.poll(() => posts).toBe(1);
    await message.waitFor({ state: "visible" });
    await stillAsTyped();

    // A proxy in front of the app answers for it, with its own page.
    failWith = (route) => route.fulfill({ status: 502, contentType: "text/html", body: "<html><body><h1>502 Bad Gateway</h1></body></html>" });
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await expect.poll(() => posts).toBe(2);
    await message.waitFor({ state: "visible" });
    await stillAsTyped();

    // Upshelf is back: the same Save saves what was typed.
    await page.unroute(isData);
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await page.getByText("Saved", { exact: true }).waitFor({ state: "visible" });
    expect(await message.count()).toBe(0);
    const saved = await db.offer.findFirstOrThrow({ where: { id: created.offer.id } });
    expect(saved.title).toBe(titles[1]);
    const tiers = (JSON.parse(saved.config) as { tiers: { value: { percent?: number } }[] }).tiers;
    expect(tiers.map((tier) => tier.value.percent)).toEqual([10, 25]);
    await page.close();
  }, 180_000);

  it("GIVEN the settings page WHEN its save is cut off THEN the typed heading stays and the page says it was not saved", async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/app/settings`, { waitUntil: "networkidle", timeout: 90_000 });
    const heading = page.getByLabel("Cart heading");
    const typed = "Typed before the cut (browser test)";
    await heading.fill(typed);
    await page.route(isData, (route) => (route.request().method() === "POST" ? route.abort("connectionreset") : route.continue()));
    await page.getByRole("button", { name: "Save settings" }).click();
    await page.getByText("Couldn't save the settings: Upshelf could not be reached. Your changes are still here; check your connection and try again.").waitFor({ state: "visible" });
    expect(await heading.inputValue()).toBe(typed);
    expect(await bareErrorPage(page)).toBe(0);
    expect(await page.getByText("Settings saved.").count()).toBe(0);
    await page.close();
  }, 120_000);

  it("GIVEN the connection down WHEN the merchant moves to another page THEN the admin says so in its frame, and Try again loads the page", async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/app/tiers`, { waitUntil: "networkidle", timeout: 90_000 });
    await page.route(isData, (route) => route.abort("internetdisconnected"));
    await page.getByRole("link", { name: "Settings" }).first().click();
    await page.getByRole("heading", { name: "Upshelf could not be reached", level: 1 }).waitFor({ state: "visible" });
    expect(await bareErrorPage(page)).toBe(0);
    // Still the admin: its navigation is there.
    expect(await page.getByRole("link", { name: "Bundles" }).count()).toBeGreaterThan(0);
    await page.unroute(isData);
    await page.getByRole("button", { name: "Try again" }).click();
    await page.getByRole("heading", { name: "Settings", level: 1 }).waitFor({ state: "visible" });
    await page.close();
  }, 120_000);
});
