import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import db from "~/db.server";
import { DEMO_SHOP_DOMAIN } from "~/env.server";
import { runningExperiment, stopExperiment } from "~/models/experiment.server";
import { startBuiltAppServer, type RunningServer } from "../support/app-server";
import { launchChromium } from "../support/browser";

describe("the dashboard, recommendations and holdout pages in Chromium (demo shop)", () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startBuiltAppServer({ DATABASE_URL: process.env.DATABASE_URL! });
    browser = await launchChromium();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("draws the dashboard's charts from the demo orders, each with an accessible name and a data table", async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    // Vite's dev client may fail to reach its HMR socket when several servers run; that is not the page's fault.
    page.on("pageerror", (error) => {
      if (!/WebSocket/i.test(error.message)) errors.push(error.message);
    });
    const response = await page.goto(`${server.url}/app?days=30`, { waitUntil: "networkidle", timeout: 90_000 });
    expect(response?.status()).toBe(200);
    // The server entry adds the document headers: the demo admin is never embedded, so nothing may frame it.
    expect(response?.headers()["content-security-policy"]).toBe("frame-ancestors 'none'");
    await page.getByText("This period ends at the demo shop's latest order").waitFor({ state: "visible", timeout: 60_000 });

    const revenueChart = page.getByRole("img", { name: "Revenue per day" });
    await revenueChart.waitFor({ state: "visible", timeout: 60_000 });
    expect(await revenueChart.evaluate((node) => node.tagName.toLowerCase())).toBe("svg");
    // The demo shop's orders drew a line: a path with real points, not an empty chart.
    const path = await page.locator('[data-chart="Revenue per day"] .recharts-line path').first().getAttribute("d");
    expect(path?.split(/[LC]/).length ?? 0).toBeGreaterThan(10);
    await page.getByRole("img", { name: "Orders per day" }).waitFor({ state: "visible" });
    await page.getByRole("img", { name: "Widget activity per day" }).waitFor({ state: "visible" });

    // The same figures as a table for screen readers: 30 days, with at least one day of orders.
    const table = page.getByRole("table", { name: "Orders per day" });
    expect(await table.getByRole("row").count()).toBe(31);
    const orderCounts = await table.locator("tbody td:first-of-type").allInnerTexts();
    expect(orderCounts.some((count) => Number(count.replace(/,/g, "")) > 0)).toBe(true);

    expect(await page.locator("#metric-attributed-revenue").innerText()).toBe("£0.00");
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);

  it("switches the period", async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/app`, { waitUntil: "networkidle" });
    await page.getByLabel("Period").selectOption("7");
    await page.waitForURL(/days=7/);
    const table = page.getByRole("table", { name: "Orders per day" });
    await expect.poll(async () => table.getByRole("row").count()).toBe(8);
    await page.close();
  }, 60_000);

  it("links the demo shop's period to today once buyers used the widgets after its orders, and back", async () => {
    // The preview storefront used today (a product the catalog does not have: other tests count by product).
    await db.widgetEvent.create({ data: { shopId: DEMO_SHOP_DOMAIN, kind: "impression", placement: "pdp", productId: "dashboard-browser-test", occurredAt: new Date() } });
    const page = await browser.newPage();
    await page.goto(`${server.url}/app?days=7`, { waitUntil: "networkidle" });
    await page.getByText(/Buyers have used the widgets since: [\d,]+ widget events? after/).waitFor({ timeout: 30_000 });
    await page.getByRole("link", { name: "Show the last 7 days up to today" }).click();
    await page.waitForURL(/to=today/);
    await page.getByText("This period ends today").waitFor({ timeout: 30_000 });
    const activity = page.getByRole("table", { name: "Widget activity per day" });
    const impressions = await activity.locator("tbody tr").last().locator("td").first().innerText();
    expect(Number(impressions.replace(/,/g, ""))).toBeGreaterThan(0);
    await page.getByRole("link", { name: "Show the 7 days up to its latest order" }).click();
    await page.getByText("This period ends at the demo shop's latest order").waitFor({ timeout: 30_000 });
    expect(page.url()).not.toContain("to=today");
    await page.close();
  }, 60_000);

  it("previews the recommendations for a product, each item with its reason", async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/app/recommendations`, { waitUntil: "networkidle" });
    await page.getByRole("heading", { name: "Preview" }).waitFor({ state: "visible" });
    await page.getByLabel("Add a product").fill("white hanging heart");
    const add = page.getByRole("button", { name: /^Add White Hanging Heart T-Light Holder/i }).first();
    await add.waitFor({ state: "visible", timeout: 30_000 });
    await add.click();
    await page.waitForURL(/preview=\d+/);

    const items = page.getByRole("list", { name: "Product page recommendations" }).getByRole("listitem");
    await items.first().waitFor({ state: "visible", timeout: 90_000 });
    // As many as the storefront's "frequently bought together" block shows by default.
    expect(await items.count()).toBe(2);
    await page.getByText("A theme block set to fewer than 2 shows fewer: by default the product page's block shows 2.").waitFor({ state: "visible" });
    const texts = await items.allInnerTexts();
    for (const text of texts) expect(text).toMatch(/Bought together in \d+ orders|Similar to |Popular in |More in |More from this shop|Pinned by merchant/);
    expect(texts.some((text) => /Bought together in \d+ orders/.test(text))).toBe(true);
    const cartItems = page.getByRole("list", { name: "Cart recommendations" }).getByRole("listitem");
    await cartItems.first().waitFor({ state: "visible" });
    expect(await cartItems.count()).toBe(3);
    await page.close();
  }, 150_000);

  it("asks before stopping a holdout test, saying what is kept and that it cannot be undone; Cancel leaves it running", async () => {
    const page = await browser.newPage();
    try {
      await page.goto(`${server.url}/app/holdout`, { waitUntil: "networkidle" });
      await page.getByLabel("Visitors held out").selectOption("20");
      await page.getByRole("button", { name: "Start a holdout test" }).click();
      await page.getByText("Holdout test started: 20% of visitors will not see Upshelf.").waitFor({ state: "visible", timeout: 30_000 });
      const started = await runningExperiment(DEMO_SHOP_DOMAIN);
      expect(started?.holdoutBasisPoints).toBe(2000);

      // One click only asks.
      await page.getByRole("button", { name: "Stop the test" }).click();
      const dialog = page.getByRole("dialog", { name: "Stop the holdout test?" });
      await dialog.waitFor({ state: "visible", timeout: 10_000 });
      const said = await dialog.innerText();
      expect(said).toContain("The results so far are kept");
      expect(said).toContain("This cannot be undone: a stopped test cannot be resumed.");
      await dialog.getByRole("button", { name: "Cancel" }).click();
      await dialog.waitFor({ state: "hidden" });
      expect((await runningExperiment(DEMO_SHOP_DOMAIN))?.key).toBe(started?.key);

      await page.getByRole("button", { name: "Stop the test" }).click();
      await dialog.getByRole("button", { name: "Stop the test" }).click();
      await page.getByText("Holdout test stopped: every visitor sees Upshelf again. Its figures stay below.").waitFor({ state: "visible", timeout: 30_000 });
      expect(await runningExperiment(DEMO_SHOP_DOMAIN)).toBeNull();
      await page.getByRole("heading", { name: /^Results of the test ended / }).waitFor({ state: "visible" });
      expect(await page.getByRole("dialog").count()).toBe(0);
    } finally {
      await page.close();
      // Later files on this worker's database start their own holdout test on the demo shop.
      await stopExperiment(DEMO_SHOP_DOMAIN, new Date());
    }
  }, 90_000);
});
