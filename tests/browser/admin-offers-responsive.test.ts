import fs from "node:fs";
import path from "node:path";
import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emptyDraft, type OfferDraft, type PickedItem } from "~/components/offers/offer-draft";
import { createDb, type Db } from "~/db.server";
import { DEMO_SHOP_DOMAIN } from "~/env.server";
import { startBuiltAppServer, type RunningServer } from "../support/app-server";
import { launchChromium } from "../support/browser";

const root = path.resolve(import.meta.dirname, "../..");

/**
 * The offer editors at a phone's width and a laptop's, and the offer lists' row names and
 * confirmations, in Chromium. This file seeds a demo shop of its own (its own SQLite file): it
 * adds attributed order lines, which the other browser files' shared demo shop must not see.
 */
describe("the offer pages at 360 px and 1280 px, on a demo shop of this file's own", () => {
  const file = path.join(root, "tmp", "test", `upshelf-offers-responsive-${Date.now()}-${process.pid}.sqlite`);
  const databaseUrl = `file:${path.relative(root, file)}`;
  let server: RunningServer;
  let browser: Browser;
  let db: Db;
  /** Two single-variant products of the demo catalog, the first dearer, each with a title of several words. */
  let dear: PickedItem;
  let cheap: PickedItem;

  beforeAll(async () => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    server = await startBuiltAppServer({ DATABASE_URL: databaseUrl }, 240_000);
    browser = await launchChromium();
    db = createDb(databaseUrl);
    const products = await db.product.findMany({
      where: { shopId: DEMO_SHOP_DOMAIN },
      select: { shopifyId: true, title: true, variants: { select: { shopifyId: true, priceAmount: true, currency: true } } },
      orderBy: { id: "asc" },
      take: 400,
    });
    const titles = new Map<string, number>();
    for (const product of products) titles.set(product.title, (titles.get(product.title) ?? 0) + 1);
    const candidates = products
      .filter((product) => product.variants.length === 1 && product.variants[0]?.currency === "GBP" && titles.get(product.title) === 1)
      .filter((product) => product.title.split(" ").length >= 4 && product.title.length <= 40 && /^[A-Za-z ]+$/.test(product.title))
      .map((product): PickedItem => {
        const id = `gid://shopify/Product/${product.shopifyId}`;
        return { kind: "product", id, productId: id, variantId: `gid://shopify/ProductVariant/${product.variants[0]?.shopifyId}`, title: product.title, price: product.variants[0]?.priceAmount ?? null, lowestPrice: product.variants[0]?.priceAmount ?? null };
      })
      .sort((a, b) => (b.price ?? 0) - (a.price ?? 0));
    const first = candidates[0];
    const last = candidates.find((candidate) => (candidate.price ?? 0) > 0 && (candidate.price ?? 0) < (first?.price ?? 0) / 2);
    if (!first || !last) throw new Error("the demo catalog has no two products to test with");
    [dear, cheap] = [first, last];
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await db?.$disconnect();
    for (const suffix of ["", "-wal", "-shm", "-journal"]) fs.rmSync(file + suffix, { force: true });
  });

  async function pick(page: Page, button: string, title: string) {
    await page.getByRole("button", { name: button }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByPlaceholder("Search by title, handle or SKU").fill(title);
    await dialog.getByRole("checkbox", { name: title, exact: true }).check();
    await dialog.getByRole("button", { name: "Add 1" }).click();
    await dialog.waitFor({ state: "hidden" });
  }

  async function box(locator: Locator) {
    const found = await locator.boundingBox();
    if (!found) throw new Error("not rendered");
    return found;
  }

  /** Lines a block of text takes: its height over its line height. */
  async function lines(locator: Locator): Promise<number> {
    return locator.evaluate((node) => Math.round(node.getBoundingClientRect().height / parseFloat(getComputedStyle(node).lineHeight)));
  }

  async function expectNoSidewaysScroll(page: Page) {
    const widths = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, screen: window.innerWidth }));
    expect(widths.page, "the page scrolls sideways").toBeLessThanOrEqual(widths.screen);
  }

  it("lays out each ladder step within a 360 px screen, its controls under the title, and beside the title at 1280 px", async () => {
    const page = await browser.newPage({ viewport: { width: 360, height: 800 } });
    await page.goto(`${server.url}/app/ladders/new`, { waitUntil: "networkidle", timeout: 90_000 });
    await page.getByRole("heading", { name: "Create upgrade ladder", level: 1 }).waitFor({ state: "visible" });
    await pick(page, "Add steps", dear.title);
    await pick(page, "Add steps", cheap.title);

    for (const [index, item] of [dear, cheap].entries()) {
      const remove = await box(page.getByRole("button", { name: `Remove ${item.title}` }));
      expect(remove.x, `Remove ${item.title}`).toBeGreaterThanOrEqual(0);
      expect(remove.x + remove.width, `Remove ${item.title}`).toBeLessThanOrEqual(360);
      for (const control of [page.getByRole("button", { name: `Move ${item.title} up` }), page.locator(`#steps-${index}-label`)]) {
        const found = await box(control);
        expect(found.x + found.width).toBeLessThanOrEqual(360);
      }
      // A title of four or more words is not squeezed to a word a line.
      expect(await lines(page.getByText(`${index + 1}. ${item.title}`, { exact: true }))).toBeLessThanOrEqual(2);
    }
    await expectNoSidewaysScroll(page);

    await page.setViewportSize({ width: 1280, height: 900 });
    const title = await box(page.getByText(`1. ${dear.title}`, { exact: true }));
    const label = await box(page.locator("#steps-0-label"));
    const remove = await box(page.getByRole("button", { name: `Remove ${dear.title}` }));
    // Beside the title on one line: the label field starts right of the title and Remove ends the row.
    expect(label.x).toBeGreaterThan(title.x + title.width);
    expect(remove.x).toBeGreaterThan(label.x + label.width);
    expect(await lines(page.getByText(`1. ${dear.title}`, { exact: true }))).toBe(1);
    await expectNoSidewaysScroll(page);
    await page.close();
  }, 150_000);

  it("keeps a bundle's product rows within a 360 px screen", async () => {
    const page = await browser.newPage({ viewport: { width: 360, height: 800 } });
    await page.goto(`${server.url}/app/bundles/new`, { waitUntil: "networkidle", timeout: 90_000 });
    await page.getByRole("heading", { name: "Create bundle", level: 1 }).waitFor({ state: "visible" });
    await pick(page, "Add products", dear.title);
    await pick(page, "Add products", cheap.title);
    for (const [index, item] of [dear, cheap].entries()) {
      const remove = await box(page.getByRole("button", { name: `Remove ${item.title}` }));
      expect(remove.x + remove.width, `Remove ${item.title}`).toBeLessThanOrEqual(360);
      const quantity = await box(page.locator(`#items-${index}-quantity`));
      expect(quantity.x + quantity.width).toBeLessThanOrEqual(360);
      expect(await lines(page.getByText(item.title, { exact: true }).first())).toBeLessThanOrEqual(2);
    }
    await expectNoSidewaysScroll(page);
    await page.close();
  }, 150_000);

  it("previews no price for a ladder saving would refuse, and says which step to move", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${server.url}/app/ladders/new`, { waitUntil: "networkidle", timeout: 90_000 });
    const unavailable = page.locator("#offer-preview-unavailable");
    // A fresh form: nothing is highlighted yet, so the preview says what is missing instead.
    await expect.poll(() => unavailable.innerText()).toContain("An upgrade ladder needs at least two steps.");
    expect(await unavailable.innerText()).not.toMatch(/highlighted/i);

    await pick(page, "Add steps", dear.title);
    await pick(page, "Add steps", cheap.title);
    await page.locator("#incentive-kind").selectOption("percentage");
    await page.locator("#incentive-value").fill("10");
    await expect
      .poll(() => unavailable.innerText())
      .toContain(`Step 2 (${cheap.title}): Order the steps from cheapest to dearest: this one costs no more than the step before it.`);
    expect(await page.locator("#offer-preview").count()).toBe(0);

    // Moved into order, it is priced.
    await page.getByRole("button", { name: `Move ${cheap.title} up` }).click();
    await page.locator("#preview-pays-0").waitFor({ state: "visible" });
    await page.close();
  }, 150_000);

  describe("the upgrade ladders list", () => {
    const titles = ["Kettle ladder A (browser test)", "Kettle ladder B (browser test)"] as const;
    const ids: string[] = [];

    beforeAll(async () => {
      for (const title of titles) {
        const draft: OfferDraft = { ...emptyDraft("upgradeLadder"), title, status: "active", steps: [{ item: cheap, label: "" }, { item: dear, label: "" }] };
        const saved = await fetch(`${server.url}/app/ladders/new`, {
          method: "POST",
          body: new URLSearchParams({ intent: "save", draft: JSON.stringify(draft), clientToken: crypto.randomUUID() }),
          redirect: "manual",
        });
        expect(saved.status).toBeLessThan(400);
        ids.push((await db.offer.findFirstOrThrow({ where: { shopId: DEMO_SHOP_DOMAIN, title } })).id);
      }
      // One attributed order line: what buyers paid for it is the first offer's revenue.
      const product = await db.product.findFirstOrThrow({ where: { shopId: DEMO_SHOP_DOMAIN }, select: { id: true, shopifyId: true } });
      await db.order.create({
        data: {
          shopId: DEMO_SHOP_DOMAIN,
          shopifyId: "990000000001",
          name: "#990001",
          currency: "GBP",
          subtotalAmount: 861_846,
          totalAmount: 861_846,
          placedAt: new Date("2011-01-01T12:00:00Z"),
          lines: {
            create: [{ shopId: DEMO_SHOP_DOMAIN, productId: product.id, shopifyProductId: product.shopifyId, title: "Attributed", quantity: 1, unitPriceAmount: 861_846, currency: "GBP", upshelfOffer: ids[0] as string }],
          },
        },
      });
    }, 60_000);

    async function openList(): Promise<Page> {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      await page.goto(`${server.url}/app/ladders`, { waitUntil: "networkidle", timeout: 90_000 });
      await page.getByRole("heading", { name: "Upgrade ladders", level: 1 }).waitFor({ state: "visible" });
      return page;
    }

    const rowOf = (page: Page, title: string) => page.getByRole("row").filter({ has: page.getByRole("link", { name: title, exact: true }) });

    it("names each row's checkbox after its offer", async () => {
      const page = await openList();
      for (const title of titles) {
        // The checkbox's accessible name, as a screen reader announces it.
        expect(await rowOf(page, title).getByRole("checkbox", { name: `Select ${title}`, exact: true }).count()).toBe(1);
        expect(await page.getByRole("checkbox", { name: `Select ${title}`, exact: true }).count()).toBe(1);
      }
      await page.close();
    }, 60_000);

    it("shows revenue as the dashboard does: symbol and thousands separators", async () => {
      const page = await openList();
      expect(await rowOf(page, titles[0]).innerText()).toContain("£8,618.46");
      expect(await rowOf(page, titles[1]).innerText()).toContain("£0.00");
      await page.close();
    }, 60_000);

    it("confirms a row's own pause, activate, duplicate and delete with a banner, as the bulk actions do", async () => {
      const page = await openList();
      const banner = (text: string) => page.getByText(text, { exact: true }).waitFor({ state: "visible", timeout: 15_000 });
      await rowOf(page, titles[0]).getByRole("button", { name: `Pause ${titles[0]}` }).click();
      await banner(`Paused “${titles[0]}”.`);
      await rowOf(page, titles[0]).getByRole("button", { name: `Activate ${titles[0]}` }).click();
      await banner(`Activated “${titles[0]}”.`);
      await rowOf(page, titles[1]).getByRole("button", { name: `Duplicate ${titles[1]}` }).click();
      await banner(`Duplicated “${titles[1]}” as “Copy of ${titles[1]}”, a draft.`);
      await rowOf(page, titles[1]).getByRole("button", { name: `Delete ${titles[1]}` }).click();
      await page.getByRole("dialog", { name: `Delete “${titles[1]}”?` }).getByRole("button", { name: "Delete" }).click();
      await banner(`Deleted “${titles[1]}”.`);
      expect(await db.offer.findFirst({ where: { id: ids[1] as string } })).toBeNull();

      // Deleted from its own page, the offer is confirmed on the list it lands on, as from a row.
      const copy = `Copy of ${titles[1]}`;
      await page.getByRole("link", { name: copy, exact: true }).click();
      await page.getByRole("heading", { name: copy, level: 1 }).waitFor({ state: "visible" });
      await page.getByRole("button", { name: "Delete", exact: true }).click();
      await page.getByRole("dialog").getByRole("button", { name: "Delete", exact: true }).click();
      await banner(`Deleted “${copy}”.`);
      await page.close();
    }, 90_000);
  });
});
