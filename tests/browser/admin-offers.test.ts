import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatAmount } from "~/components/dashboard/format";
import db from "~/db.server";
import { DEMO_SHOP_DOMAIN } from "~/env.server";
import { createOffer } from "~/models/offer.server";
import { REMOVED_IN_SHOPIFY_MESSAGES, syncShopDiscounts } from "~/services/discount-sync.server";
import { createTestOffer, spendTiersInput } from "../factories/offers";
import { startBuiltAppServer, type RunningServer } from "../support/app-server";
import { launchChromium } from "../support/browser";
import { openDemoTierOffer } from "../support/demo-tier-offer";

/** The offer pages in Chromium against the demo admin (demo shop, local product picker). */
describe("the demo admin's offer pages in Chromium", () => {
  let server: RunningServer;
  let browser: Browser;
  const createdTitles = [
    "Teapot pair (browser test)",
    "Buy more cups (browser test)",
    "Summer cups (browser test)",
    "Bulk cups A (browser test)",
    "Bulk cups B (browser test)",
    "Spend more (browser test)",
    "Teapot to a gone kettle (browser test)",
    "Paused teapot to a gone kettle (browser test)",
    "Teapots to copy (browser test)",
    "Copy of Teapots to copy (browser test)",
  ];
  /** Bundles that fill checkout's configuration (one test), removed after it. */
  const crowdTitle = (index: number) => `Crowd ${String(index).padStart(2, "0")} (browser test)`;

  beforeAll(async () => {
    server = await startBuiltAppServer({ DATABASE_URL: process.env.DATABASE_URL! });
    browser = await launchChromium();
  }, 300_000);

  afterAll(async () => {
    // The demo shop is shared with the other browser tests of this run: leave it as it was.
    await db.offer.deleteMany({ where: { shopId: DEMO_SHOP_DOMAIN, OR: [{ title: { in: createdTitles } }, { title: { startsWith: "Crowd " } }] } });
    await browser?.close();
    await server?.stop();
  });

  /** Picks one product with the picker the form's `opener` button opens ("Add steps" on a ladder). */
  async function pick(page: Page, title: string, opener = "Add products") {
    await page.getByRole("button", { name: opener }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByPlaceholder("Search by title, handle or SKU").fill(title);
    await dialog.getByRole("checkbox", { name: title, exact: true }).check();
    await dialog.getByRole("button", { name: "Add 1" }).click();
    await dialog.waitFor({ state: "hidden" });
  }

  async function demoPrice(title: string): Promise<number> {
    const product = await db.product.findFirstOrThrow({
      where: { shopId: DEMO_SHOP_DOMAIN, title },
      select: { variants: { select: { priceAmount: true }, orderBy: { id: "asc" }, take: 1 } },
    });
    return product.variants[0]?.priceAmount ?? Number.NaN;
  }

  it("names the field of each problem in the list above a refused form, not only the message", async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/app/tiers/new`, { waitUntil: "networkidle", timeout: 90_000 });
    await page.getByRole("heading", { name: "Create tiered discount", level: 1 }).waitFor({ state: "visible" });
    await page.locator("#type").selectOption("spendTiers");
    await page.getByLabel("Title").fill("Spend more (form messages test)");
    // Both tiers' thresholds carry the same message: only the field's name tells them apart.
    await page.locator("#tier-0-threshold").fill("£100");
    await page.locator("#tier-1-threshold").fill("250,00");
    await page.locator("#priority").fill("1.5");
    await page.getByRole("button", { name: "Save", exact: true }).click();

    const banner = page.locator(".Polaris-Banner", { hasText: "problems need fixing" });
    await banner.waitFor({ state: "visible" });
    const items = await banner.getByRole("listitem").allInnerTexts();
    expect(items).toEqual([
      "Tier 1: Enter an amount in GBP, such as 12.50.",
      "Tier 2: Enter an amount in GBP, such as 12.50.",
      "Priority: Enter a whole number, such as 3.",
    ]);
    await page.close();
  }, 120_000);

  it("GIVEN a save on its way that will be refused WHEN the merchant keeps typing THEN the refusal keeps what was typed meanwhile", async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/app/tiers/new?type=spendTiers`, { waitUntil: "networkidle", timeout: 90_000 });
    await page.getByRole("heading", { name: "Create tiered discount", level: 1 }).waitFor({ state: "visible" });
    // A slow connection: the save's answer arrives once the test lets it through.
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    let posted = false;
    await page.route(`${server.url}/app/tiers/new*`, async (route) => {
      if (route.request().method() === "POST") {
        posted = true;
        await held;
      }
      await route.continue();
    });
    await page.locator("#tier-0-threshold").fill("abc");
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await expect.poll(() => posted).toBe(true);
    await page.getByLabel("Title").fill("Typed while saving (browser test)");
    await page.locator("#priority").fill("5");
    release();
    await page.locator(".Polaris-Banner", { hasText: "problems need fixing" }).waitFor({ state: "visible" });
    expect(await page.getByLabel("Title").inputValue()).toBe("Typed while saving (browser test)");
    expect(await page.locator("#priority").inputValue()).toBe("5");
    expect(await page.locator("#tier-0-threshold").inputValue()).toBe("abc");
    await page.close();
  }, 120_000);

  it("prices every step of a ladder as checkout charges it: the incentive comes off the top step too", async () => {
    const titles = ["Dairy Maid Traditional Teapot", "Red Retrospot Traditional Teapot", "Regency Teapot Roses"];
    const [good, better, best] = await Promise.all(titles.map(demoPrice)) as [number, number, number];
    const page = await browser.newPage();
    await page.goto(`${server.url}/app/ladders/new`, { waitUntil: "networkidle", timeout: 90_000 });
    await page.getByRole("heading", { name: "Create upgrade ladder", level: 1 }).waitFor({ state: "visible" });
    await page.getByLabel("Title").fill("Teapots (form messages test)");
    for (const title of titles) await pick(page, title, "Add steps");
    await page.locator("#incentive-kind").selectOption("amountOffEach");
    await page.locator("#incentive-value").fill("0.50");

    // Checkout takes 0.50 off every unit of each step above the first (upgrade-ladder.ts).
    await expect.poll(() => page.locator("#preview-pays-0").innerText()).toBe(formatAmount(better - 50, "GBP"));
    expect(await page.locator("#preview-pays-1").innerText()).toBe(formatAmount(best - 50, "GBP"));
    expect(await page.locator("#preview-saves-1").innerText()).toBe("£0.50");
    // Beside the middle step, itself 0.50 off, the top one costs the full-price difference more.
    expect(await page.locator("#preview-detail-1").innerText()).toBe(`${formatAmount(best - better, "GBP")} more than ${titles[1]}`);
    expect(good).toBeLessThan(better);
    await page.close();
  }, 120_000);

  it("GIVEN a ladder step the catalog has no price for THEN its row says so, and saving keeps it but names the upgrades the storefront leaves out", async () => {
    const teapot = await db.product.findFirstOrThrow({ where: { shopId: DEMO_SHOP_DOMAIN, title: "Dairy Maid Traditional Teapot" }, select: { shopifyId: true } });
    // A variant the demo catalog has never had: deleted in Shopify, or not synced yet.
    const created = await createOffer(DEMO_SHOP_DOMAIN, {
      type: "upgradeLadder",
      title: createdTitles[6],
      status: "active",
      steps: [{ ref: { productId: `gid://shopify/Product/${teapot.shopifyId}` } }, { ref: { variantId: "gid://shopify/ProductVariant/987654321987" } }],
    });
    if (!created.ok) throw new Error(JSON.stringify(created.issues));
    const page = await browser.newPage();
    await page.goto(`${server.url}/app/ladders/${created.offer.id}`, { waitUntil: "networkidle", timeout: 90_000 });
    await page.getByRole("heading", { name: createdTitles[6], level: 1 }).waitFor({ state: "visible" });
    const said =
      "Step 2 (“Not in the synced catalog (987654321987)”) has no price in GBP in Upshelf's catalog, so the storefront does not offer the upgrade from step 1 to it until it has one.";
    expect(await page.locator("#steps-1-unpriced").innerText()).toBe(said);
    expect(await page.locator("#steps-0-unpriced").count()).toBe(0);

    await page.getByRole("button", { name: "Save", exact: true }).click();
    const banner = page.locator(".Polaris-Banner", { hasText: "Saved, but buyers will not see every upgrade" });
    await banner.waitFor({ state: "visible" });
    expect(await banner.getByRole("listitem").allInnerTexts()).toEqual([said]);
    await page.close();
  }, 120_000);

  it("GIVEN a paused ladder with a step the catalog has no price for WHEN it is activated from the list THEN the list names the upgrades the storefront leaves out, as saving does", async () => {
    const teapot = await db.product.findFirstOrThrow({ where: { shopId: DEMO_SHOP_DOMAIN, title: "Dairy Maid Traditional Teapot" }, select: { shopifyId: true } });
    const title = createdTitles[7] as string;
    const created = await createOffer(DEMO_SHOP_DOMAIN, {
      type: "upgradeLadder",
      title,
      status: "paused",
      steps: [{ ref: { productId: `gid://shopify/Product/${teapot.shopifyId}` } }, { ref: { variantId: "gid://shopify/ProductVariant/987654321988" } }],
    });
    if (!created.ok) throw new Error(JSON.stringify(created.issues));
    const page = await browser.newPage();
    await page.goto(`${server.url}/app/ladders`, { waitUntil: "networkidle", timeout: 90_000 });
    await page.getByRole("heading", { name: "Upgrade ladders", level: 1 }).waitFor({ state: "visible" });
    await page.getByRole("button", { name: `Activate ${title}` }).click();
    const banner = page.locator(".Polaris-Banner", { hasText: "Activated, but buyers will not see every upgrade" });
    await banner.waitFor({ state: "visible" });
    expect(await banner.getByRole("listitem").allInnerTexts()).toEqual([
      `“${title}”: Step 2 (“Not in the synced catalog (987654321988)”) has no price in GBP in Upshelf's catalog, so the storefront does not offer the upgrade from step 1 to it until it has one.`,
    ]);
    await page.close();
  }, 120_000);

  it("creates a bundle with the picker and shows the price a buyer would pay before saving", async () => {
    const [first, second] = ["Red Retrospot Traditional Teapot", "Dairy Maid Traditional Teapot"];
    const sum = (await demoPrice(first)) + (await demoPrice(second));
    const page = await browser.newPage();
    await page.goto(`${server.url}/app/bundles`, { waitUntil: "networkidle", timeout: 90_000 });
    await page.getByRole("heading", { name: "Bundles", level: 1 }).waitFor({ state: "visible" });
    await page.getByRole("link", { name: "Create bundle" }).first().click();
    await page.waitForURL(`${server.url}/app/bundles/new`);

    await page.getByLabel("Title").fill(createdTitles[0] as string);
    await pick(page, first);
    await pick(page, second);

    // The default 10% off, priced by the offers engine in the browser.
    const tenPercent = sum - Math.round(sum / 10);
    await expect.poll(() => page.locator("#preview-pays-0").innerText()).toBe(formatAmount(tenPercent, "GBP"));

    await page.locator("#pricing-kind").selectOption("fixedPrice");
    const bundlePrice = sum - 150;
    await page.locator("#pricing-value").fill((bundlePrice / 100).toFixed(2));
    await expect.poll(() => page.locator("#preview-pays-0").innerText()).toBe(formatAmount(bundlePrice, "GBP"));
    expect(await page.locator("#preview-saves-0").innerText()).toBe("£1.50");

    await page.getByRole("button", { name: "Save", exact: true }).click();
    await page.waitForURL(/\/app\/bundles\/off_[0-9a-f]+$/);
    await page.getByText("Saved", { exact: true }).waitFor({ state: "visible" });
    const stored = await db.offer.findFirstOrThrow({ where: { shopId: DEMO_SHOP_DOMAIN, title: createdTitles[0] } });
    expect(JSON.parse(stored.config).pricing).toEqual({ kind: "fixedPrice", price: { amount: bundlePrice, currency: "GBP" } });

    await page.goto(`${server.url}/app/bundles`, { waitUntil: "networkidle" });
    await page.getByRole("link", { name: createdTitles[0] }).waitFor({ state: "visible" });
    await page.close();
  }, 120_000);

  it("wraps a long title with no spaces on the offer editor: the page never scrolls sideways", async () => {
    const title = "W".repeat(255);
    const products = await db.product.findMany({ where: { shopId: DEMO_SHOP_DOMAIN, status: "active" }, select: { shopifyId: true }, orderBy: { id: "asc" }, take: 2 });
    const items = products.map((product) => ({ ref: { productId: `gid://shopify/Product/${product.shopifyId}` }, quantity: 1 }));
    const bundle = (status: string) => ({ type: "fixedBundle", title, status, items, pricing: { kind: "percentage", percent: 10 } });
    // Two such bundles over the same products: each editor names the other in its overlap banner.
    const ids = [await createTestOffer(DEMO_SHOP_DOMAIN, bundle("active")), await createTestOffer(DEMO_SHOP_DOMAIN, bundle("active"))];
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    try {
      const sideways = () => page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, view: document.documentElement.clientWidth }));
      // Every block the title is written in (the page's title, the preview's lines, a banner): its
      // text stays inside it, and it inside the window, rather than overflowing a card that clips it.
      const overflowing = () =>
        page.evaluate(() => {
          const blocks = new Set<HTMLElement>();
          const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
          for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            if (!node.textContent?.includes("WWWWWWWWWW")) continue;
            let block = node.parentElement;
            while (block && getComputedStyle(block).display.startsWith("inline")) block = block.parentElement;
            // (Text for screen readers only is drawn in a 1 px box, on purpose.)
            if (block && block.getBoundingClientRect().width > 1) blocks.add(block);
          }
          return {
            blocks: blocks.size,
            overflowing: [...blocks]
              .filter((block) => block.scrollWidth > block.clientWidth + 1 || block.getBoundingClientRect().right > document.documentElement.clientWidth)
              .map((block) => `${block.tagName}.${block.className}`),
          };
        });
      await page.goto(`${server.url}/app/bundles/${ids[0]}`, { waitUntil: "networkidle", timeout: 90_000 });
      await page.getByRole("heading", { level: 1 }).waitFor({ state: "visible" });
      await page.locator("#preview-pays-0").waitFor({ state: "visible" });
      const onLoad = await sideways();
      expect(onLoad.scroll, "the editor as loaded").toBeLessThanOrEqual(onLoad.view);
      const written = await overflowing();
      expect(written.blocks, "the page's heading and the overlap banner's line").toBeGreaterThanOrEqual(2);
      expect(written.overflowing).toEqual([]);
      // The title's field, the page title and the preview follow what is typed.
      await page.getByLabel("Title").fill(`${title.slice(0, 254)}V`);
      await page.getByRole("heading", { level: 1, name: `${title.slice(0, 254)}V` }).waitFor({ state: "visible" });
      const typed = await sideways();
      expect(typed.scroll, "with the title typed").toBeLessThanOrEqual(typed.view);
      expect((await overflowing()).overflowing).toEqual([]);
      // Its delete confirmation names it too.
      await page.getByRole("button", { name: "Delete", exact: true }).click();
      await page.getByRole("dialog").waitFor({ state: "visible" });
      const dialog = await page.getByRole("dialog").evaluate((el) => ({ scroll: el.scrollWidth, view: el.clientWidth }));
      expect(dialog.scroll, "the delete confirmation").toBeLessThanOrEqual(dialog.view);
      const confirming = await sideways();
      expect(confirming.scroll, "while confirming").toBeLessThanOrEqual(confirming.view);
      expect((await overflowing()).overflowing).toEqual([]);
    } finally {
      await page.close();
      await db.offer.deleteMany({ where: { shopId: DEMO_SHOP_DOMAIN, id: { in: ids } } });
    }
  }, 120_000);

  it("names each of a buy X get Y form's two product pickers by its list, and adds to the list it names", async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/app/bundles/new`, { waitUntil: "networkidle", timeout: 90_000 });
    await page.getByRole("heading", { name: "Create bundle", level: 1 }).waitFor({ state: "visible" });
    await page.locator("#type").selectOption("buyXGetY");
    // Both read "Add products"; a screen reader hears which list each adds to.
    expect(await page.getByRole("button", { name: "Add products", exact: true }).count()).toBe(0);
    await pick(page, "Red Retrospot Traditional Teapot", "Add products: And gets any of");
    await expect.poll(() => page.locator("#get-items").innerText()).toContain("Red Retrospot Traditional Teapot");
    expect(await page.locator("#buy-items").innerText()).toContain("Nothing chosen yet.");
    await page.getByRole("button", { name: "Add products: The buyer buys any of", exact: true }).waitFor({ state: "visible" });
    await page.close();
  }, 120_000);

  it("edits a tier and shows the validation error for a higher tier that saves less, keeping what was typed", async () => {
    const { offer: tierOffer, before, page } = await openDemoTierOffer(browser, server.url, createdTitles[1] as string);
    await page.locator("#tier-1-value").fill("5");
    await page.getByRole("button", { name: "Save", exact: true }).click();

    // The preview names the problem as soon as it is typed; the save's answer marks the field.
    await page.getByText("A higher tier must save more than the tier below it.").first().waitFor({ state: "visible" });
    // The message sits on the offending field, and nothing the merchant typed is lost.
    await expect.poll(() => page.locator("#tier-1-value").getAttribute("aria-invalid"), { timeout: 20_000 }).toBe("true");
    expect(await page.locator("#tier-1-value").inputValue()).toBe("5");
    expect(await db.offer.findFirstOrThrow({ where: { id: tierOffer.id } })).toEqual(before);
    await page.close();
  }, 120_000);

  it("reads and shows a schedule in the shop's time zone, not UTC", async () => {
    const cup = await db.product.findFirstOrThrow({ where: { shopId: DEMO_SHOP_DOMAIN }, select: { shopifyId: true }, orderBy: { id: "asc" } });
    const created = await createOffer(DEMO_SHOP_DOMAIN, {
      type: "quantityBreaks",
      title: createdTitles[2],
      status: "active",
      eligible: { productIds: [`gid://shopify/Product/${cup.shopifyId}`] },
      tiers: [{ minQuantity: 2, value: { kind: "percentage", percent: 10 } }],
    });
    if (!created.ok) throw new Error(JSON.stringify(created.issues));

    const page = await browser.newPage();
    await page.goto(`${server.url}/app/tiers/${created.offer.id}`, { waitUntil: "networkidle", timeout: 90_000 });
    await page.getByRole("heading", { name: createdTitles[2], level: 1 }).waitFor({ state: "visible" });
    // The demo shop is the UK retailer's: in July, London is an hour ahead of UTC.
    await page.getByLabel("Starts (Europe/London)").fill("2030-07-01T09:00");
    await page.getByLabel("Ends (Europe/London)").fill("2030-07-31T23:30");
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await page.getByText("Saved", { exact: true }).waitFor({ state: "visible" });

    const stored = await db.offer.findFirstOrThrow({ where: { id: created.offer.id } });
    expect([stored.startsAt?.toISOString(), stored.endsAt?.toISOString()]).toEqual(["2030-07-01T08:00:00.000Z", "2030-07-31T22:30:00.000Z"]);
    // Reloaded, the fields show what the merchant typed, and the list says which zone it is.
    await page.reload({ waitUntil: "networkidle" });
    expect(await page.getByLabel("Starts (Europe/London)").inputValue()).toBe("2030-07-01T09:00");
    await page.goto(`${server.url}/app/tiers`, { waitUntil: "networkidle" });
    await page.getByRole("columnheader", { name: "Schedule (Europe/London)" }).waitFor({ state: "visible" });
    await page.getByText("1 Jul 2030, 09:00 – 31 Jul 2030, 23:30", { exact: true }).waitFor({ state: "visible" });
    await page.close();
  }, 120_000);

  it("pauses and deletes ticked offers together, after a confirmation, leaving the others alone", async () => {
    const cup = await db.product.findFirstOrThrow({ where: { shopId: DEMO_SHOP_DOMAIN }, select: { shopifyId: true }, orderBy: { id: "asc" } });
    const bulkTitles = [createdTitles[3] as string, createdTitles[4] as string];
    const ids: string[] = [];
    for (const title of bulkTitles) {
      const created = await createOffer(DEMO_SHOP_DOMAIN, {
        type: "quantityBreaks",
        title,
        status: "active",
        eligible: { productIds: [`gid://shopify/Product/${cup.shopifyId}`] },
        tiers: [{ minQuantity: 2, value: { kind: "percentage", percent: 10 } }],
      });
      if (!created.ok) throw new Error(JSON.stringify(created.issues));
      ids.push(created.offer.id);
    }
    // Offers this file made earlier (other browser test files share the demo shop and may change theirs).
    const others = await db.offer.findMany({ where: { shopId: DEMO_SHOP_DOMAIN, title: { in: createdTitles.slice(0, 3) } }, orderBy: { id: "asc" } });
    const statusOf = async (id: string) => (await db.offer.findFirst({ where: { id } }))?.status ?? "gone";

    const page = await browser.newPage();
    await page.goto(`${server.url}/app/tiers`, { waitUntil: "networkidle", timeout: 90_000 });
    const rowOf = (title: string) => page.getByRole("row").filter({ has: page.getByRole("link", { name: title, exact: true }) });
    // A row's own button acts on that row only: it neither selects nor opens it.
    await rowOf(bulkTitles[0] as string).getByRole("button", { name: `Pause ${bulkTitles[0]}` }).click();
    await expect.poll(() => statusOf(ids[0] as string)).toBe("paused");
    // The list has its answer (its banner pushes the table down): ticking before it lands could miss.
    await page.getByText(`Paused “${bulkTitles[0]}”.`).waitFor({ state: "visible" });
    expect(page.url()).toBe(`${server.url}/app/tiers`);
    expect(await rowOf(bulkTitles[0] as string).getByRole("checkbox").isChecked()).toBe(false);

    for (const title of bulkTitles) await rowOf(title).getByRole("checkbox").check({ force: true });
    await page.getByRole("button", { name: "Activate", exact: true }).click();
    await page.getByText("Activated 2 tiered discounts.").waitFor({ state: "visible" });
    expect([await statusOf(ids[0] as string), await statusOf(ids[1] as string)]).toEqual(["active", "active"]);

    for (const title of bulkTitles) await rowOf(title).getByRole("checkbox").check({ force: true });
    await page.getByRole("button", { name: "Pause", exact: true }).click();
    await page.getByText("Paused 2 tiered discounts.").waitFor({ state: "visible" });
    expect([await statusOf(ids[0] as string), await statusOf(ids[1] as string)]).toEqual(["paused", "paused"]);

    for (const title of bulkTitles) await rowOf(title).getByRole("checkbox").check({ force: true });
    await page.getByRole("button", { name: "More actions" }).click();
    await page.getByRole("button", { name: "Delete", exact: true }).click();
    const dialog = page.getByRole("dialog", { name: "Delete 2 tiered discounts?" });
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await dialog.waitFor({ state: "hidden" });
    expect([await statusOf(ids[0] as string), await statusOf(ids[1] as string)]).toEqual(["paused", "paused"]);

    // Deleting a ticked row with its own button takes it out of the selection too.
    await rowOf(bulkTitles[0] as string).getByRole("button", { name: `Delete ${bulkTitles[0]}` }).click();
    const rowDialog = page.getByRole("dialog", { name: `Delete “${bulkTitles[0]}”?` });
    await rowDialog.getByRole("button", { name: "Delete" }).click();
    await rowDialog.waitFor({ state: "hidden" });
    await expect.poll(() => statusOf(ids[0] as string)).toBe("gone");
    await rowOf(bulkTitles[0] as string).waitFor({ state: "detached" });
    await page.getByRole("button", { name: "Activate", exact: true }).click();
    await page.getByText("Activated 1 tiered discount.").waitFor({ state: "visible" });
    expect(await statusOf(ids[1] as string)).toBe("active");

    await rowOf(bulkTitles[1] as string).getByRole("checkbox").check({ force: true });
    await page.getByRole("button", { name: "More actions" }).click();
    await page.getByRole("button", { name: "Delete", exact: true }).click();
    await page.getByRole("dialog", { name: "Delete 1 tiered discount?" }).getByRole("button", { name: "Delete" }).click();
    await page.getByText("Deleted 1 tiered discount.").waitFor({ state: "visible" });
    expect([await statusOf(ids[0] as string), await statusOf(ids[1] as string)]).toEqual(["gone", "gone"]);
    expect(await db.offer.findMany({ where: { shopId: DEMO_SHOP_DOMAIN, title: { in: createdTitles.slice(0, 3) } }, orderBy: { id: "asc" } })).toEqual(others);
    await page.close();
  }, 120_000);

  it("GIVEN a duplicated ladder WHEN its copy is activated from the list THEN the list says it overlaps the original, as its editor does", async () => {
    const [title, copyTitle] = [createdTitles[8] as string, createdTitles[9] as string];
    const teapots = await db.product.findMany({
      where: { shopId: DEMO_SHOP_DOMAIN, title: { in: ["Dairy Maid Traditional Teapot", "Regency Teapot Roses"] } },
      select: { shopifyId: true },
      orderBy: { title: "asc" },
    });
    await createTestOffer(DEMO_SHOP_DOMAIN, {
      type: "upgradeLadder",
      title,
      status: "active",
      steps: teapots.map((teapot) => ({ ref: { productId: `gid://shopify/Product/${teapot.shopifyId}` } })),
      incentive: { kind: "percentage", percent: 5 },
    });
    const page = await browser.newPage();
    await page.goto(`${server.url}/app/ladders`, { waitUntil: "networkidle", timeout: 90_000 });
    await page.getByRole("button", { name: `Duplicate ${title}` }).click();
    await page.getByText(`Duplicated “${title}” as “${copyTitle}”, a draft.`).waitFor({ state: "visible" });
    await page.getByRole("button", { name: `Activate ${copyTitle}` }).click();
    await page.getByText(`Activated “${copyTitle}”.`).waitFor({ state: "visible" });
    const banner = page.locator(".Polaris-Banner", { hasText: "Activated, but it overlaps with offers that cannot combine" });
    await banner.waitFor({ state: "visible" });
    expect(await banner.getByRole("listitem").allInnerTexts()).toEqual([
      `“${copyTitle}”: "${title}" also discounts 2 products in this offer and the two cannot combine: a buyer gets only the one that saves more. Shared: Dairy Maid Traditional Teapot and Regency Teapot Roses.`,
    ]);
    await page.close();
    // Two identical live ladders would be left behind for the next test otherwise.
    await db.offer.deleteMany({ where: { shopId: DEMO_SHOP_DOMAIN, title: { in: [title, copyTitle] } } });
  }, 120_000);

  it("GIVEN more bundles than checkout's configuration holds THEN the list marks those left out, and saving one says it is saved but not applied, and why", async () => {
    const products = await db.product.findMany({ where: { shopId: DEMO_SHOP_DOMAIN }, select: { shopifyId: true }, orderBy: { id: "asc" }, take: 10 });
    try {
      for (let index = 0; index < 45; index += 1) {
        await createTestOffer(DEMO_SHOP_DOMAIN, {
          type: "fixedBundle",
          title: crowdTitle(index),
          status: "active",
          items: products.map((product) => ({ ref: { productId: `gid://shopify/Product/${product.shopifyId}` }, quantity: 1 })),
          pricing: { kind: "percentage", percent: 10 },
        });
      }
      await syncShopDiscounts(DEMO_SHOP_DOMAIN);
      // The newest gives way first.
      const newest = await db.offer.findFirstOrThrow({ where: { shopId: DEMO_SHOP_DOMAIN, title: crowdTitle(44) } });
      const page = await browser.newPage();
      await page.goto(`${server.url}/app/bundles`, { waitUntil: "networkidle", timeout: 90_000 });
      const row = page.getByRole("row").filter({ has: page.getByRole("link", { name: crowdTitle(44), exact: true }) });
      await row.getByText("Active: no room at checkout").waitFor({ state: "visible" });
      const listed = page.locator(".Polaris-Banner", { hasText: "active offers may not give what they promise" });
      await listed.getByText(/Not every active offer fits checkout's discount configuration/).waitFor({ state: "visible" });
      expect(await listed.getByRole("listitem").filter({ hasText: crowdTitle(44) }).innerText()).toMatch(
        /: The shop's offers exceed Shopify's 10000-byte limit .* To apply it, raise its priority above theirs, or pause offers you need less/,
      );

      await page.goto(`${server.url}/app/bundles/${newest.id}`, { waitUntil: "networkidle", timeout: 90_000 });
      await page.getByRole("heading", { name: crowdTitle(44), level: 1 }).waitFor({ state: "visible" });
      await page.getByRole("button", { name: "Save", exact: true }).click();
      const saved = page.locator(".Polaris-Banner", { hasText: "Saved, but not applied at checkout" });
      await saved.waitFor({ state: "visible" });
      expect(await saved.innerText()).toMatch(/The offer is saved as active, but checkout does not apply it and buyers are not offered it: the shop's offers exceed/);
      expect(await saved.innerText()).not.toContain("checkout applies it");
      // The others left out are listed apart, without this one.
      const others = page.locator(".Polaris-Banner", { hasText: "Nor does checkout apply everything else as set" });
      await others.waitFor({ state: "visible" });
      expect(await others.getByRole("listitem").filter({ hasText: crowdTitle(44) }).count()).toBe(0);
      expect(await others.getByRole("listitem").filter({ hasText: crowdTitle(43) }).count()).toBe(1);
      await page.close();
    } finally {
      await db.offer.deleteMany({ where: { shopId: DEMO_SHOP_DOMAIN, title: { startsWith: "Crowd " } } });
      await syncShopDiscounts(DEMO_SHOP_DOMAIN);
    }
  }, 180_000);

  it("warns on the offer pages when checkout's discount was deleted in Shopify, and restores it from the Shopify data page", async () => {
    await createTestOffer(DEMO_SHOP_DOMAIN, { ...spendTiersInput("GBP"), title: createdTitles[5] });
    await syncShopDiscounts(DEMO_SHOP_DOMAIN);
    await db.discountSync.updateMany({
      where: { shopId: DEMO_SHOP_DOMAIN },
      data: { status: "deleted_in_shopify", shopifyDiscountId: null, configHash: null, lastError: REMOVED_IN_SHOPIFY_MESSAGES.deleted_in_shopify },
    });

    const page = await browser.newPage();
    await page.goto(`${server.url}/app/tiers`, { waitUntil: "networkidle", timeout: 90_000 });
    await page.getByText("Checkout is not applying your offers' savings").waitFor({ state: "visible" });
    await page.getByText(REMOVED_IN_SHOPIFY_MESSAGES.deleted_in_shopify).waitFor({ state: "visible" });
    await page.getByRole("link", { name: "Restore discount" }).click();
    await page.waitForURL(`${server.url}/app/sync`);
    await page.getByText("Deleted in Shopify", { exact: true }).waitFor({ state: "visible" });

    await page.getByRole("button", { name: "Restore discount" }).click();
    await page.getByText(/had been deleted in Shopify's admin; it was created again/).waitFor({ state: "visible" });
    await page.getByText("Recorded (demo)", { exact: true }).waitFor({ state: "visible" });
    expect((await db.discountSync.findFirstOrThrow({ where: { shopId: DEMO_SHOP_DOMAIN } })).status).toBe("recorded");

    await page.goto(`${server.url}/app/tiers`, { waitUntil: "networkidle" });
    await page.getByRole("link", { name: createdTitles[5] }).waitFor({ state: "visible" });
    expect(await page.getByText("Checkout is not applying your offers' savings").count()).toBe(0);
    await page.close();
  }, 120_000);
});
