import type { Browser, Page, Route } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import db from "~/db.server";
import { DEMO_SHOP_DOMAIN } from "~/env.server";
import { unsavedMessage } from "~/components/unreachable";
import { REFRESH_PAUSED } from "~/components/use-refresh-while";
import { SEARCH_UNREACHABLE } from "~/routes/app.api.products";
import { startBuiltAppServer, type RunningServer } from "../support/app-server";
import { launchChromium } from "../support/browser";
import { openDemoTierOffer } from "../support/demo-tier-offer";

/**
 * The demo admin when Upshelf cannot be reached: a save whose request is cut off, or answered by a
 * proxy's 502 page, keeps the page and what was typed, and says so; the next save goes through. So
 * do the loads a page makes by itself: the product picker's search and a page's refresh while a
 * job runs (docs/decisions/0013). Remix fetches a page's data and sends its actions at `<page>.data`.
 */
describe("the demo admin when Upshelf cannot be reached, in Chromium", () => {
  let server: RunningServer;
  let browser: Browser;
  const titles = ["Cups to cut off (browser test)", "Cups that survived (browser test)", "Answer lost (browser test)", "Answer lost, then edited (browser test)"];

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
  const proxyPage = (route: Route) => route.fulfill({ status: 502, contentType: "text/html", body: "<html><body><h1>502 Bad Gateway</h1></body></html>" });
  const inFrameErrorPage = (page: Page) => page.getByRole("heading", { name: "Upshelf could not be reached", exact: true }).count();

  it("GIVEN an edited offer WHEN its save is cut off, then answered by a proxy's 502 page THEN the form keeps everything and says so, and the next save saves", async () => {
    const { offer: tierOffer, before, page } = await openDemoTierOffer(browser, server.url, titles[0] as string);
    await page.getByLabel("Title").fill(titles[1] as string);
    await page.locator("#tier-1-value").fill("25");

    let posts = 0;
    let failWith: (route: Route) => Promise<void> = (route) => route.abort("connectionreset");
    // Upshelf is out of reach for everything: the save, and any reload of the page's data.
    await page.route(isData, async (route) => {
      if (route.request().method() === "POST") posts += 1;
      return failWith(route);
    });
    // Cut off before it reached Upshelf here; the page cannot know that, so it says it may have been saved.
    const message = page.getByText(unsavedMessage("your changes"));
    const stillAsTyped = async () => {
      expect(await page.getByLabel("Title").inputValue()).toBe(titles[1]);
      expect(await page.locator("#tier-1-value").inputValue()).toBe("25");
      expect(await bareErrorPage(page)).toBe(0);
      expect(await page.getByText("Saved", { exact: true }).count()).toBe(0);
      expect(await db.offer.findFirstOrThrow({ where: { id: tierOffer.id } })).toEqual(before);
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
    const saved = await db.offer.findFirstOrThrow({ where: { id: tierOffer.id } });
    expect(saved.title).toBe(titles[1]);
    const tiers = (JSON.parse(saved.config) as { tiers: { value: { percent?: number } }[] }).tiers;
    expect(tiers.map((tier) => tier.value.percent)).toEqual([10, 25]);
    await page.close();
  }, 180_000);

  it("GIVEN the settings page WHEN its save is cut off THEN the typed heading stays and the page says it may or may not have been saved", async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/app/settings`, { waitUntil: "networkidle", timeout: 90_000 });
    const heading = page.getByLabel("Cart heading");
    const typed = "Typed before the cut (browser test)";
    await heading.fill(typed);
    await page.route(isData, (route) => (route.request().method() === "POST" ? route.abort("connectionreset") : route.continue()));
    await page.getByRole("button", { name: "Save settings" }).click();
    await page.getByText(unsavedMessage("the settings")).waitFor({ state: "visible" });
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

  it("GIVEN a new offer WHEN its save arrives but the answer is lost THEN the page says it may have been saved, and saving again, edited since, makes the one offer with the edit; so does an edit's", async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/app/tiers/new`, { waitUntil: "networkidle", timeout: 90_000 });
    await page.getByRole("heading", { name: "Create tiered discount", level: 1 }).waitFor({ state: "visible" });
    await page.getByLabel("Title").fill(titles[2] as string);
    await page.getByRole("button", { name: "Add products" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByPlaceholder("Search by title, handle or SKU").fill("Red Retrospot Traditional Teapot");
    await dialog.getByRole("checkbox", { name: "Red Retrospot Traditional Teapot", exact: true }).check();
    await dialog.getByRole("button", { name: "Add 1" }).click();
    await dialog.waitFor({ state: "hidden" });

    // The save reaches Upshelf and is saved; the proxy in between loses the answer, and answers
    // for Upshelf from then on (any reload of the page's data too).
    let posts = 0;
    const loseAnswers = async (route: Route) => {
      if (route.request().method() !== "POST") return proxyPage(route);
      posts += 1;
      await route.fetch();
      return proxyPage(route);
    };
    await page.route(isData, loseAnswers);
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await page.getByText(unsavedMessage("your changes")).waitFor({ state: "visible" });
    expect(posts).toBe(1);
    expect(await bareErrorPage(page)).toBe(0);
    expect(await page.getByLabel("Title").inputValue()).toBe(titles[2]);
    expect(await db.offer.count({ where: { shopId: DEMO_SHOP_DOMAIN, title: titles[2] } })).toBe(1);
    expect(page.url()).toBe(`${server.url}/app/tiers/new`);

    // Edited meanwhile, then saved again once Upshelf answers: the same offer, now with the edit.
    await page.unroute(isData);
    await page.getByLabel("Title").fill(titles[3] as string);
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await page.waitForURL(/\/app\/tiers\/off_[0-9a-f]+$/);
    await page.getByText("Saved", { exact: true }).waitFor({ state: "visible" });
    const offers = await db.offer.findMany({ where: { shopId: DEMO_SHOP_DOMAIN, title: { in: [titles[2] as string, titles[3] as string] } } });
    expect(offers.map((offer) => offer.title)).toEqual([titles[3]]);
    expect(page.url()).toBe(`${server.url}/app/tiers/${offers[0]?.id}`);

    // The same again on the saved offer: its save lands, the answer is lost, Save again says Saved
    // (not "changed since you opened it": the form still holds the version it loaded).
    await page.route(isData, loseAnswers);
    await page.getByLabel("Title").fill(titles[2] as string);
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await page.getByText(unsavedMessage("your changes")).waitFor({ state: "visible" });
    expect(await inFrameErrorPage(page)).toBe(0);
    expect(await page.getByLabel("Title").inputValue()).toBe(titles[2]);
    await expect.poll(async () => (await db.offer.findFirstOrThrow({ where: { id: offers[0]?.id } })).title).toBe(titles[2]);
    await page.unroute(isData);
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await page.getByText("Saved", { exact: true }).waitFor({ state: "visible" });
    expect(await page.getByText("was changed since you opened it", { exact: false }).count()).toBe(0);
    expect(await db.offer.count({ where: { shopId: DEMO_SHOP_DOMAIN, title: { in: [titles[2] as string, titles[3] as string] } } })).toBe(1);

    // An edit's save lands and its answer is lost, then the merchant changes another field and
    // saves: the form names its lost save, so both changes are saved (its version is still the old one).
    await page.route(isData, loseAnswers);
    await page.getByLabel("Title").fill(titles[3] as string);
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await page.getByText(unsavedMessage("your changes")).waitFor({ state: "visible" });
    await expect.poll(async () => (await db.offer.findFirstOrThrow({ where: { id: offers[0]?.id } })).title).toBe(titles[3]);
    await page.unroute(isData);
    await page.locator("#tier-1-value").fill("25");
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await page.getByText("Saved", { exact: true }).waitFor({ state: "visible" });
    expect(await page.getByText("was changed since you opened it", { exact: false }).count()).toBe(0);
    const both = await db.offer.findFirstOrThrow({ where: { id: offers[0]?.id } });
    expect(both.title).toBe(titles[3]);
    expect((JSON.parse(both.config) as { tiers: { value: { percent?: number } }[] }).tiers.map((tier) => tier.value.percent)).toEqual([10, 25]);
    await page.close();
  }, 180_000);

  it("GIVEN an offer being written WHEN the picker's search gets no answer, then a proxy's page THEN the picker says so and keeps the typed search, the form stays, and Try again searches", async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/app/tiers/new`, { waitUntil: "networkidle", timeout: 90_000 });
    await page.getByRole("heading", { name: "Create tiered discount", level: 1 }).waitFor({ state: "visible" });
    await page.getByLabel("Title").fill("Being written (browser test)");

    let searches = 0;
    let failWith: (route: Route) => Promise<void> = (route) => route.abort("connectionreset");
    const isSearch = (url: URL) => url.pathname === "/app/api/products.data";
    await page.route(isSearch, async (route) => {
      searches += 1;
      return failWith(route);
    });
    await page.getByRole("button", { name: "Add products" }).click();
    const dialog = page.getByRole("dialog");
    const search = dialog.getByPlaceholder("Search by title, handle or SKU");
    await search.fill("Retrospot Traditional Teapot");
    const said = dialog.getByText(SEARCH_UNREACHABLE);
    const stillAsTyped = async () => {
      expect(await search.inputValue()).toBe("Retrospot Traditional Teapot");
      expect(await page.getByLabel("Title").inputValue()).toBe("Being written (browser test)");
      expect(await inFrameErrorPage(page)).toBe(0);
      expect(await bareErrorPage(page)).toBe(0);
      expect(await dialog.getByText("No products match", { exact: false }).count()).toBe(0);
    };
    await said.waitFor({ state: "visible" });
    await stillAsTyped();

    failWith = proxyPage;
    const before = searches;
    await dialog.getByRole("button", { name: "Try again" }).click();
    await expect.poll(() => searches).toBeGreaterThan(before);
    await said.waitFor({ state: "visible" });
    await stillAsTyped();

    // Upshelf answers again: the same search finds the teapot, and it can be added.
    await page.unroute(isSearch);
    await dialog.getByRole("button", { name: "Try again" }).click();
    await dialog.getByRole("checkbox", { name: "Red Retrospot Traditional Teapot", exact: true }).check();
    expect(await said.count()).toBe(0);
    await dialog.getByRole("button", { name: "Add 1" }).click();
    await dialog.waitFor({ state: "hidden" });
    expect(await page.getByLabel("Title").inputValue()).toBe("Being written (browser test)");
    await page.close();
  }, 120_000);

  it("GIVEN an import running and a file chosen WHEN the list's refresh gets no answer, then a proxy's page THEN the page and the file stay, it says updates paused, and it carries on when Upshelf answers", async () => {
    // An import the runner holds (leased) and never moves on: the list refreshes while it runs.
    const job = await db.job.create({
      data: { shopId: DEMO_SHOP_DOMAIN, kind: "import_products_csv", status: "running", input: "{}", progressDone: 3, progressTotal: 10, startedAt: new Date(), leaseUntil: new Date(Date.now() + 10 * 60_000) },
    });
    const page = await browser.newPage();
    try {
      await page.goto(`${server.url}/app/import`, { waitUntil: "networkidle", timeout: 90_000 });
      await page.getByRole("heading", { name: "Import", level: 1 }).waitFor({ state: "visible" });
      const row = page.getByRole("row").filter({ hasText: `Import ${job.id}` });
      // Running: its status is a progress bar.
      await row.getByRole("progressbar").waitFor({ state: "visible" });
      const chosen = page.locator("#import-products-chosen").getByText("chosen-before-the-cut.csv", { exact: true });
      // Until React has hydrated the page, choosing a file reaches no handler; choose again then.
      for (let attempt = 1; ; attempt += 1) {
        await page.locator("#import-products-file").setInputFiles({ name: "chosen-before-the-cut.csv", mimeType: "text/csv", buffer: Buffer.from("Handle,Title,Variant Price\ncup,Cup,1.00\n") });
        try {
          await chosen.waitFor({ state: "visible", timeout: 2_000 });
          break;
        } catch (error) {
          if (attempt >= 10) throw error;
        }
      }

      let refreshes = 0;
      let failWith: (route: Route) => Promise<void> = (route) => route.abort("connectionreset");
      await page.route(isData, async (route) => {
        if (route.request().method() !== "GET") return route.continue();
        refreshes += 1;
        return failWith(route);
      });
      const paused = page.getByText(REFRESH_PAUSED);
      const asItWas = async () => {
        expect(await chosen.count()).toBe(1);
        expect(await row.getByRole("progressbar").count()).toBe(1);
        expect(await page.getByRole("heading", { name: "Import", level: 1 }).count()).toBe(1);
        expect(await inFrameErrorPage(page)).toBe(0);
        expect(await bareErrorPage(page)).toBe(0);
      };
      await paused.waitFor({ state: "visible" });
      await asItWas();

      // A proxy answers for Upshelf; the refresh goes on trying.
      failWith = proxyPage;
      const before = refreshes;
      await expect.poll(() => refreshes, { timeout: 30_000 }).toBeGreaterThan(before + 1);
      await asItWas();
      expect(await paused.count()).toBe(1);

      // Upshelf answers again, and the import ended meanwhile: the page catches up by itself.
      await db.job.update({ where: { id: job.id }, data: { status: "done", finishedAt: new Date(), leaseUntil: null } });
      await page.unroute(isData);
      await row.getByText("Imported", { exact: true }).waitFor({ state: "visible", timeout: 30_000 });
      expect(await paused.count()).toBe(0);
      expect(await chosen.count()).toBe(1);
    } finally {
      await page.close();
      await db.job.delete({ where: { id: job.id } });
    }
  }, 180_000);
});
