import type { Browser, BrowserContext, Locator, Page, Request as BrowserRequest } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { priceCart, type Offer } from "~/core/offers";
import db from "~/db.server";
import { DEMO_SHOP_DOMAIN } from "~/env.server";
import { groupFor } from "~/core/experiments";
import { startExperiment, stopExperiment } from "~/models/experiment.server";
import { createOffer, deleteOffer } from "~/models/offer.server";
import { getShopSettings, saveShopSettings } from "~/models/shop-settings.server";
import { createTestOffer } from "../factories/offers";
import { startBuiltAppServer, type RunningServer } from "../support/app-server";
import { launchChromium } from "../support/browser";

/**
 * The storefront widgets in Chromium, on the demo shop's local storefront (/preview), against the
 * real app proxy routes. The test and the server share this run's database: offers created here
 * are the ones the server prices with.
 */
const ANCHOR = "regency-cakestand-3-tier";
const gbp = (minor: number) => new Intl.NumberFormat("en", { style: "currency", currency: "GBP" }).format(minor / 100);

interface Recommendation {
  productId: string;
  variantId: string;
  handle: string;
  title: string;
  price: { amount: number };
}

interface CartJson {
  attributes: Record<string, string>;
  item_count: number;
  total_price: number;
  total_discount: number;
  items: {
    key: string;
    variant_id: number;
    quantity: number;
    product_title: string;
    properties: Record<string, string>;
    /** Only on a line bought with a selling plan, as on Shopify. */
    selling_plan_allocation?: { selling_plan: { id: number } };
  }[];
}

describe("the storefront widgets in Chromium", () => {
  let server: RunningServer;
  let browser: Browser;
  let anchor: { productId: string; variantId: string; price: number };
  let picks: Recommendation[];
  let tiersId: string;
  let bundleId: string;

  const url = (path: string) => `${server.url}${path}`;
  const cartOf = (page: Page) => page.evaluate(() => fetch("/preview/cart.js").then((r) => r.json())) as Promise<CartJson>;
  /**
   * A cart write the theme itself makes (add.js, change.js), its answer read to the end as a theme
   * reads it: the browser reports a request, and the widgets follow it, once its answer is read.
   */
  const themeCartWrite = (page: Page, path: "add" | "change", body: Record<string, unknown>) =>
    page.evaluate(
      ({ path, body }) =>
        fetch(`/preview/cart/${path}.js`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) }).then((r) => r.json()),
      { path, body },
    );

  /**
   * WCAG 2.4.13's measure of a focus indicator, in what the browser paints: how many pixels on and
   * around a control (10 px out) change by at least 3:1 between its unfocused and its
   * keyboard-focused state, and the area of a 2 px thick perimeter of the control, which those
   * pixels must at least cover. Over the page around the control, that is the indicator's contrast
   * with the background. Also those pixels beside each side of the control (outside it), the
   * control's box, and what of it is in view once scrolled to.
   */
  async function focusIndicator(page: Page, control: Locator) {
    await control.evaluate((el) => {
      (document.activeElement as HTMLElement | null)?.blur();
      // Its containers as a buyer finds them (an earlier control may have scrolled one), then to it.
      for (let box = el.parentElement; box && box !== document.body; box = box.parentElement) box.scrollTop = 0;
      el.scrollIntoView({ block: "center", inline: "center" });
    });
    const box = await control.boundingBox();
    if (!box) throw new Error("the control is not drawn");
    // What of it its clipping containers leave in view, and whether one of them (a grid's row of
    // cards, which scrolls sideways) had to scroll down to show it.
    const shown = await control.evaluate((el) => {
      let { left, top, right, bottom } = el.getBoundingClientRect();
      let scrolledDown = false;
      for (let box = el.parentElement; box && box !== document.body; box = box.parentElement) {
        const style = getComputedStyle(box);
        if (style.overflowX === "visible" && style.overflowY === "visible") continue;
        const edges = box.getBoundingClientRect();
        [left, top, right, bottom] = [Math.max(left, edges.left), Math.max(top, edges.top), Math.min(right, edges.right), Math.min(bottom, edges.bottom)];
        scrolledDown ||= box.scrollTop > 0;
      }
      return { width: Math.max(0, right - left), height: Math.max(0, bottom - top), scrolledDown };
    });
    const clip = { x: Math.floor(box.x) - 10, y: Math.floor(box.y) - 10, width: Math.ceil(box.width) + 20, height: Math.ceil(box.height) + 20 };
    const unfocused = await page.screenshot({ clip });
    // A key first, as a keyboard user's Tab: the focus then shows as :focus-visible.
    await page.keyboard.press("Shift");
    await control.focus();
    const keyboard = await control.evaluate((el) => el.matches(":focus-visible"));
    const focused = await page.screenshot({ clip });
    // The control's edges in the screenshots, to tell on which side of it a changed pixel is.
    const edges = { left: box.x - clip.x, top: box.y - clip.y, right: box.x - clip.x + box.width, bottom: box.y - clip.y + box.height };
    const { changed, sides } = await page.evaluate(
      async ({ images, edges }) => {
        const [before, after] = await Promise.all(
          images.map(async (png) => {
            const bitmap = await createImageBitmap(await (await fetch(`data:image/png;base64,${png}`)).blob());
            const canvas = new OffscreenCanvas(bitmap.width, bitmap.height).getContext("2d") as OffscreenCanvasRenderingContext2D;
            canvas.drawImage(bitmap, 0, 0);
            return canvas.getImageData(0, 0, bitmap.width, bitmap.height);
          }),
        );
        const luminance = (data: Uint8ClampedArray, i: number) => {
          const [r, g, b] = [data[i], data[i + 1], data[i + 2]].map((v) => (v as number) / 255).map((c) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
          return 0.2126 * (r as number) + 0.7152 * (g as number) + 0.0722 * (b as number);
        };
        const [unfocused, focused] = [before as ImageData, after as ImageData];
        let count = 0;
        const beside = { left: 0, right: 0, top: 0, bottom: 0 };
        for (let i = 0; i < unfocused.data.length; i += 4) {
          const [was, is] = [luminance(unfocused.data, i), luminance(focused.data, i)];
          if ((Math.max(was, is) + 0.05) / (Math.min(was, is) + 0.05) < 3) continue;
          count += 1;
          const [x, y] = [(i / 4) % unfocused.width, Math.floor(i / 4 / unfocused.width)];
          const [level, inLine] = [y >= edges.top && y < edges.bottom, x >= edges.left && x < edges.right];
          if (level && x < edges.left) beside.left += 1;
          if (level && x >= edges.right) beside.right += 1;
          if (inLine && y < edges.top) beside.top += 1;
          if (inLine && y >= edges.bottom) beside.bottom += 1;
        }
        return { changed: count, sides: beside };
      },
      { images: [unfocused.toString("base64"), focused.toString("base64")], edges },
    );
    return { keyboard, changed, perimeter: 4 * (box.width + box.height) - 16, box, shown, sides };
  }

  /**
   * WCAG's contrast ratio of an element's text colour and a colour behind it, both as the browser
   * paints them: its own background (a button on the accent), or the block's --upshelf-bg.
   */
  const contrastOf = (page: Page, selector: string, behind: "background" | "accent") =>
    page.evaluate(
      ({ selector, behind }) => {
        const el = document.querySelector(selector) as HTMLElement;
        const paint = (colour: string) => {
          const canvas = document.createElement("canvas").getContext("2d") as CanvasRenderingContext2D;
          canvas.fillStyle = colour;
          canvas.fillRect(0, 0, 1, 1);
          const [r, g, b] = [...canvas.getImageData(0, 0, 1, 1).data].map((v) => v / 255).map((c) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
          return 0.2126 * (r as number) + 0.7152 * (g as number) + 0.0722 * (b as number);
        };
        const text = paint(getComputedStyle(el).color);
        const back = paint(behind === "accent" ? getComputedStyle(el).backgroundColor : getComputedStyle(el).getPropertyValue("--upshelf-bg"));
        return (Math.max(text, back) + 0.05) / (Math.min(text, back) + 0.05);
      },
      { selector, behind },
    );

  /** The anchor's product page, once its upgrade block offers the upgrade (the cart holds no step yet). */
  async function upgradeOnAnchorPage(context: BrowserContext) {
    const page = await context.newPage();
    await page.goto(url(`/preview/products/${ANCHOR}`), { waitUntil: "domcontentloaded" });
    const upgrade = page.locator(".upshelf-upgrade");
    await upgrade.getByRole("button", { name: "Add the upgrade to cart" }).waitFor({ timeout: 30_000 });
    return { page, upgrade };
  }

  /**
   * Runs `run` on the anchor's page with the cakestand upgrade live, in a browser context of its
   * own (`prepare` sets that context up first); the ladder and the context go afterwards.
   */
  async function onCakestandUpgrade(run: (opened: { page: Page; upgrade: Locator }) => Promise<void>, prepare?: (context: BrowserContext) => Promise<void>) {
    const ladder = await cakestandUpgrade();
    const context = await browser.newContext();
    try {
      await prepare?.(context);
      await run(await upgradeOnAnchorPage(context));
    } finally {
      await deleteOffer(DEMO_SHOP_DOMAIN, ladder);
      await context.close();
    }
  }

  /** The product page, and the ranked items the widget was served (the ranker explores, so each load may differ). */
  async function productPage(context: BrowserContext): Promise<{ page: Page; served: Recommendation[] }> {
    const page = await context.newPage();
    const response = page.waitForResponse((r) => r.url().includes("/apps/upshelf/recommendations?placement=pdp"));
    await page.goto(url(`/preview/products/${ANCHOR}`), { waitUntil: "domcontentloaded" });
    const served = ((await (await response).json()) as { recommendations: Recommendation[] }).recommendations;
    return { page, served };
  }

  /**
   * £1.00 off each for two or more cakestands, for the tests that need quantity breaks (each deletes
   * it): a price each that holds at every quantity, so the table states it (a percentage that is no
   * whole number of pence off each is stated as the percentage).
   */
  async function cakestandBreaks(tiers: { minQuantity: number; value: unknown }[] = [{ minQuantity: 2, value: { kind: "amountOffEach", amount: { amount: 100, currency: "GBP" } } }]): Promise<string> {
    return createTestOffer(DEMO_SHOP_DOMAIN, {
      type: "quantityBreaks",
      title: "Cakestand multibuy",
      status: "active",
      eligible: { productIds: [`gid://shopify/Product/${anchor.productId}`] },
      tiers,
    });
  }

  /** A variant of another active product, dearer than the cakestand: an upgrade step, or a competing offer's product. */
  function dearerVariant() {
    return db.variant.findFirstOrThrow({
      where: { shopId: DEMO_SHOP_DOMAIN, priceAmount: { gt: anchor.price }, product: { shopifyId: { not: anchor.productId }, status: "active" } },
      include: { product: true },
    });
  }

  /** A ladder from the cakestand up to a dearer product, for the upgrade tests (each deletes it). */
  async function cakestandUpgrade(): Promise<string> {
    const dearer = await dearerVariant();
    return createTestOffer(DEMO_SHOP_DOMAIN, {
      type: "upgradeLadder",
      title: "Cakestand upgrade",
      status: "active",
      steps: [{ ref: { productId: `gid://shopify/Product/${anchor.productId}` } }, { ref: { productId: `gid://shopify/Product/${dearer.product.shopifyId}` } }],
    });
  }

  /** A dearer second variant of the cakestand (£10.00 more), for one test: it deletes it after. */
  async function largeCakestand(shopifyId: string) {
    const product = await db.product.findFirstOrThrow({ where: { shopId: DEMO_SHOP_DOMAIN, shopifyId: anchor.productId } });
    return db.variant.create({
      data: { shopId: DEMO_SHOP_DOMAIN, productId: product.id, shopifyId, title: "Large", priceAmount: anchor.price + 1000, currency: "GBP", inventoryQuantity: 5 },
    });
  }

  beforeAll(async () => {
    // Several browser tests start servers on this database at once; seedDemoShop lets one seed it.
    server = await startBuiltAppServer({ DATABASE_URL: process.env.DATABASE_URL! });
    browser = await launchChromium();
    const product = (await (await fetch(url(`/preview/products/${ANCHOR}.js`))).json()) as { id: number; variants: { id: number; price: number }[] };
    const variant = product.variants[0] as { id: number; price: number };
    anchor = { productId: String(product.id), variantId: String(variant.id), price: variant.price };
    const tiers = await createOffer(DEMO_SHOP_DOMAIN, {
      type: "spendTiers",
      title: "Spend more, save more",
      status: "active",
      tiers: [{ minSubtotal: { amount: 10_000, currency: "GBP" }, value: { kind: "percentage", percent: 5 } }],
    });
    if (!tiers.ok) throw new Error("could not create the spend tiers");
    tiersId = tiers.offer.id;
    // The shop's first recommendations request loads its model: over 30 s on a loaded machine,
    // which the first product page's wait then ran out on. Asked once here, in this hook's budget
    // and without a page (no widget, so no impression is recorded), the tests' waits stay short.
    const warm = await fetch(url(`/apps/upshelf/recommendations?placement=pdp&product_id=${anchor.productId}&limit=2`), { signal: AbortSignal.timeout(180_000) });
    if (!warm.ok) throw new Error(`the recommendations endpoint answered ${warm.status}: ${await warm.text()}`);
  }, 300_000);

  afterAll(async () => {
    for (const id of [tiersId, bundleId]) if (id) await deleteOffer(DEMO_SHOP_DOMAIN, id);
    await browser?.close();
    await server?.stop();
  });

  /** What checkout charges for the anchor and both picks: the engine's answer for that cart. */
  async function expectedBundle() {
    const offers = await db.offer.findMany({ where: { shopId: DEMO_SHOP_DOMAIN, id: { in: [tiersId, bundleId] } } });
    const lines = [
      { id: "a", variantId: `gid://shopify/ProductVariant/${anchor.variantId}`, productId: `gid://shopify/Product/${anchor.productId}`, unitPrice: anchor.price },
      ...picks.map((pick, index) => ({
        id: `p${index}`,
        variantId: `gid://shopify/ProductVariant/${pick.variantId}`,
        productId: `gid://shopify/Product/${pick.productId}`,
        unitPrice: pick.price.amount,
      })),
    ].map((line) => ({ ...line, quantity: 1, collectionIds: [] }));
    const priced = priceCart({ cart: { currency: "GBP", lines }, offers: offers.map((row) => JSON.parse(row.config) as Offer), now: Date.now() });
    return { subtotal: priced.subtotal, discount: priced.totalDiscount, total: priced.total };
  }

  describe("product page and cart, one buyer", () => {
    let context: BrowserContext;
    let page: Page;

    beforeAll(async () => {
      context = await browser.newContext();
      ({ page, served: picks } = await productPage(context));
      expect(picks).toHaveLength(2);
    });
    afterAll(() => context?.close());

    it("shows the ranked items, none pre-selected, with the exact total and saving of what is checked", async () => {
      const widget = page.getByRole("region", { name: "Frequently bought together" });
      await page.locator(".upshelf-fbt.is-ready").waitFor({ timeout: 30_000 });
      const titles = await widget.locator(".upshelf__item:not(.upshelf__item--anchor) .upshelf__title").allInnerTexts();
      expect(titles).toEqual(picks.map((pick) => pick.title));
      // The demo catalog has no pictures: a product without one shows its plain frame, not a broken image.
      const pictures = await widget
        .locator(".upshelf__item:not(.upshelf__item--anchor) img")
        .evaluateAll((images) => images.map((image) => ({ src: image.getAttribute("src"), display: getComputedStyle(image).display })));
      expect(pictures).toEqual(picks.map(() => ({ src: null, display: "none" })));
      for (const pick of picks) expect(await widget.getByRole("checkbox", { name: pick.title }).isChecked()).toBe(false);
      expect(await widget.getByRole("checkbox", { name: /^This item:/ }).isChecked()).toBe(true);
      expect(await widget.locator("[data-total]").innerText()).toBe(gbp(anchor.price));
      expect(await widget.locator("[data-saving]").innerText()).toBe("");

      // The merchant bundles exactly what this buyer was shown; the widget prices each change afresh.
      const bundle = await createOffer(DEMO_SHOP_DOMAIN, {
        type: "fixedBundle",
        title: "Cakestand set",
        status: "active",
        items: [anchor.productId, ...picks.map((pick) => pick.productId)].map((id) => ({ ref: { productId: `gid://shopify/Product/${id}` }, quantity: 1 })),
        pricing: { kind: "percentage", percent: 10 },
      });
      if (!bundle.ok) throw new Error("could not create the bundle");
      bundleId = bundle.offer.id;
      for (const pick of picks) await widget.getByRole("checkbox", { name: pick.title }).check();
      const expected = await expectedBundle();
      expect(expected.discount).toBeGreaterThan(0);
      await expect.poll(() => widget.locator("[data-total]").innerText()).toBe(gbp(expected.total));
      expect(await widget.locator("[data-saving]").innerText()).toBe(`You save ${gbp(expected.discount)}`);
      expect(await widget.locator(".upshelf__total").getAttribute("aria-live")).toBe("polite");
    }, 60_000);

    it("adds the selection to the cart with the attribution properties and refreshes the cart count", async () => {
      await page.getByRole("button", { name: "Add selected to cart" }).click();
      await expect.poll(() => page.locator(".upshelf-fbt [role=status]").innerText()).toBe("Added to your cart.");
      const cart = await cartOf(page);
      expect(cart.items.map((item) => String(item.variant_id)).sort()).toEqual([anchor.variantId, ...picks.map((pick) => pick.variantId)].sort());
      for (const item of cart.items) expect(item.properties).toEqual({ _upshelf_offer: bundleId, _upshelf_placement: "pdp" });
      expect(await page.locator("#cart-count").innerText()).toBe("3");
    }, 30_000);

    it("sends the adds as widget events when the buyer leaves the page", async () => {
      const before = await db.widgetEvent.count({ where: { shopId: DEMO_SHOP_DOMAIN, kind: "add_to_cart", placement: "pdp" } });
      await page.goto(url("/preview/cart"), { waitUntil: "domcontentloaded" });
      await expect
        .poll(() => db.widgetEvent.findMany({ where: { shopId: DEMO_SHOP_DOMAIN, kind: "add_to_cart", placement: "pdp" }, skip: before }), { timeout: 10_000 })
        .toHaveLength(2);
      const events = await db.widgetEvent.findMany({ where: { shopId: DEMO_SHOP_DOMAIN, kind: "add_to_cart", placement: "pdp" }, skip: before });
      expect(events.map((event) => event.productId).sort()).toEqual(picks.map((pick) => pick.productId).sort());
      expect(events.every((event) => event.anchorProductId === anchor.productId && event.offerId === bundleId)).toBe(true);
    }, 30_000);

    it("prices the cart page with checkout's discount", async () => {
      const expected = await expectedBundle();
      expect(await page.locator("#cart-discount").innerText()).toBe(`−${gbp(expected.discount)}`);
      expect(await page.locator("#cart-total").innerText()).toBe(gbp(expected.total));
      const cart = await cartOf(page);
      expect(cart.total_discount).toBe(expected.discount);
    }, 30_000);

    it("ranks the cart upsell by the whole cart, adds with one tap and removes with one more", async () => {
      const cart = await cartOf(page);
      const ids = cart.items.map((item) => String(item.variant_id)).sort();
      const response = page.waitForResponse((r) => r.url().includes("/apps/upshelf/recommendations?placement=cart") && r.url().endsWith("limit=3"));
      await page.reload({ waitUntil: "domcontentloaded" });
      const lastEvent = (await db.widgetEvent.findFirst({ where: { shopId: DEMO_SHOP_DOMAIN }, orderBy: { id: "desc" }, select: { id: true } }))?.id ?? 0;
      const asked = new URL((await response).url()).searchParams.get("variant_ids")?.split(",").sort();
      expect(asked).toEqual(ids);
      const served = (await (await response).json()) as { recommendations: Recommendation[] };
      const upsell = page.locator("#upshelf-cart_upsell");
      expect(await upsell.getAttribute("aria-labelledby")).toBeTruthy();
      await page.locator("#upshelf-cart_upsell.is-ready").waitFor({ timeout: 30_000 });
      expect(await upsell.locator(".upshelf__title").allInnerTexts()).toEqual(served.recommendations.map((rec) => rec.title));

      const first = served.recommendations[0] as Recommendation;
      await upsell.getByRole("button", { name: `Add ${first.title} to your cart` }).click();
      const remove = upsell.getByRole("button", { name: `Remove ${first.title} from your cart` });
      await remove.waitFor();
      const added = (await cartOf(page)).items.find((item) => String(item.variant_id) === first.variantId);
      expect(added?.properties).toEqual({ _upshelf_offer: "recommendation", _upshelf_placement: "cart" });
      await expect.poll(() => page.locator("#cart-items").innerText()).toContain(first.title);

      await remove.click();
      await upsell.getByRole("button", { name: `Add ${first.title} to your cart` }).waitFor();
      expect((await cartOf(page)).items.some((item) => String(item.variant_id) === first.variantId)).toBe(false);

      // Added, then raised to 3 in the theme's own cart: Remove takes back only the unit it added.
      await upsell.getByRole("button", { name: `Add ${first.title} to your cart` }).click();
      await remove.waitFor();
      const line = (await cartOf(page)).items.find((item) => String(item.variant_id) === first.variantId);
      await themeCartWrite(page, "change", { id: line?.key, quantity: 3 });
      await remove.click();
      await upsell.getByRole("button", { name: `Add ${first.title} to your cart` }).waitFor();
      expect((await cartOf(page)).items.find((item) => String(item.variant_id) === first.variantId)?.quantity).toBe(2);
      await themeCartWrite(page, "change", { id: line?.key, quantity: 0 });

      // Added here, then removed in the theme's own cart at once, within the pause after the
      // buyer's tap: the change is drawn once the pause ends, not dropped. The upsell forgets what
      // left the cart, so no button offers to remove it (whether or not the new list shows it again).
      await upsell.getByRole("button", { name: `Add ${first.title} to your cart` }).click();
      await remove.waitFor();
      const addedHere = (await cartOf(page)).items.find((item) => String(item.variant_id) === first.variantId);
      await themeCartWrite(page, "change", { id: addedHere?.key, quantity: 0 });
      await expect.poll(() => upsell.getByRole("button", { name: /^Remove / }).count(), { timeout: 10_000 }).toBe(0);

      // The theme changes the cart (a quantity up, then back): the list is drawn again each time,
      // and each item still counts one impression for this page view.
      await page.waitForTimeout(1_200); // past the pause after the buyer's own taps
      const quantity = (await cartOf(page)).items[0]?.quantity ?? 1;
      for (const next of [quantity + 1, quantity]) {
        const redrawn = page.waitForResponse((r) => r.url().includes("/apps/upshelf/recommendations?placement=cart"));
        await themeCartWrite(page, "change", { line: 1, quantity: next });
        await redrawn;
        await page.waitForTimeout(500);
      }
      // The script sends what it holds when the page is left.
      await page.evaluate(() => dispatchEvent(new Event("pagehide")));
      const impressions = async () =>
        (await db.widgetEvent.findMany({ where: { shopId: DEMO_SHOP_DOMAIN, kind: "impression", placement: "cart", id: { gt: lastEvent } }, orderBy: { id: "asc" } })).map(
          (event) => event.productId,
        );
      await expect.poll(impressions, { timeout: 10_000 }).toContain(first.productId);
      const counted = await impressions();
      expect(counted.length).toBeGreaterThan(0);
      expect(new Set(counted).size).toBe(counted.length);
    }, 60_000);

    it("updates the tier progress bar when the cart changes", async () => {
      const bar = page.getByRole("region", { name: "Cart savings" });
      const message = async () => {
        const cart = await cartOf(page);
        const priced = (await (
          await fetch(url("/apps/upshelf/cart/price"), {
            method: "POST",
            headers: { "Content-Type": "application/json" },
            body: JSON.stringify({ lines: cart.items.map((item) => ({ variant_id: String(item.variant_id), quantity: item.quantity })) }),
          })
        ).json()) as { progress: { offer_id: string; message: string }[] };
        const step = priced.progress.find((p) => p.offer_id === tiersId);
        if (!step) throw new Error("no progress for the spend tiers");
        // The API's English message is the pricing module's, which the admin's preview shows: the
        // English storefront bar must say exactly that.
        return step.message;
      };
      await bar.waitFor({ timeout: 30_000 });
      const before = await message();
      expect(before).toMatch(/^Add /);
      await expect.poll(() => bar.locator("[data-message]").innerText()).toBe(before);

      // The theme changes the cart itself: the bar follows without a reload.
      await themeCartWrite(page, "change", { line: 1, quantity: 4 });
      const after = await message();
      expect(after).not.toBe(before);
      await expect.poll(() => bar.locator("[data-message]").innerText(), { timeout: 10_000 }).toBe(after);
    }, 60_000);

    it("reads the changed cart once for every widget that follows it", async () => {
      const reads: string[] = [];
      const count = (request: { url(): string; method(): string }) => {
        if (request.method() === "GET" && new URL(request.url()).pathname.endsWith("/cart.js")) reads.push(request.url());
      };
      page.on("request", count);
      try {
        // The cart upsell and the progress bar both follow this change.
        await themeCartWrite(page, "change", { line: 1, quantity: 2 });
        await expect.poll(() => reads.length, { timeout: 10_000 }).toBeGreaterThan(0);
        // Long enough for a second read, were there one (the widgets follow 200 ms after a change).
        await page.waitForTimeout(1_500);
        expect(reads).toHaveLength(1);
      } finally {
        page.off("request", count);
      }
    }, 60_000);
  });

  it("works with the keyboard alone", async () => {
    const context = await browser.newContext();
    const { page, served } = await productPage(context);
    await page.locator(".upshelf-fbt.is-ready").waitFor({ timeout: 30_000 });
    await page.getByRole("checkbox", { name: /^This item:/ }).focus();
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement).labels?.[0]?.innerText)).toBe(served[0]?.title);
    await page.keyboard.press("Space");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe("Add selected to cart");
    await page.keyboard.press("Enter");
    await expect.poll(() => page.locator(".upshelf-fbt [role=status]").innerText()).toBe("Added to your cart.");
    // Focus stays where the buyer was, on the button, through and after the cart write.
    expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe("Add selected to cart");
    expect((await cartOf(page)).items.map((item) => String(item.variant_id)).sort()).toEqual([anchor.variantId, served[0]?.variantId].sort());
    await context.close();
  }, 60_000);

  it("takes back what 'add selected' added with one tap, and does not offer to add the page's product twice", async () => {
    const context = await browser.newContext();
    const { page, served } = await productPage(context);
    await page.locator(".upshelf-fbt.is-ready").waitFor({ timeout: 30_000 });
    const pick = served[0] as Recommendation;
    await page.getByRole("checkbox", { name: pick.title }).check();
    const add = page.getByRole("button", { name: "Add selected to cart" });
    await add.click();
    const undo = page.getByRole("button", { name: "Undo: remove from cart" });
    await undo.waitFor();
    const added = (await cartOf(page)).items;
    expect(added.map((item) => String(item.variant_id)).sort()).toEqual([anchor.variantId, pick.variantId].sort());
    // No offer applies to this pair: the pick is credited as a recommendation, the viewed product not at all.
    expect(added.find((item) => String(item.variant_id) === pick.variantId)?.properties).toEqual({ _upshelf_offer: "recommendation", _upshelf_placement: "pdp" });
    expect(added.find((item) => String(item.variant_id) === anchor.variantId)?.properties).toEqual({});

    await undo.click();
    await expect.poll(() => page.locator(".upshelf-fbt [role=status]").innerText()).toBe("Removed from your cart.");
    expect((await cartOf(page)).items).toEqual([]);
    expect(await undo.isHidden()).toBe(true);
    expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe("Add selected to cart");

    // The theme's own button puts the cakestand in the cart: its box is unticked without a reload,
    // so "add selected" cannot add a second one the buyer did not ask for.
    const anchorBox = page.getByRole("checkbox", { name: /^This item:/ });
    // (The add above put it in the cart, which unticked it; the buyer ticks it again.)
    await anchorBox.check();
    await themeCartWrite(page, "add", { id: Number(anchor.variantId), quantity: 1 });
    await expect.poll(() => anchorBox.isChecked(), { timeout: 10_000 }).toBe(false);
    const theirs = (await cartOf(page)).items.find((item) => String(item.variant_id) === anchor.variantId);
    await themeCartWrite(page, "change", { id: theirs?.key, quantity: 0 });
    expect((await cartOf(page)).items).toEqual([]);

    // With the cakestand already in the cart, its own box starts unticked.
    await themeCartWrite(page, "add", { id: Number(anchor.variantId), quantity: 1 });
    await page.reload({ waitUntil: "domcontentloaded" });
    await page.locator(".upshelf-fbt.is-ready").waitFor({ timeout: 30_000 });
    expect(await page.getByRole("checkbox", { name: /^This item:/ }).isChecked()).toBe(false);
    await context.close();
  }, 60_000);

  it("states what adding the selection saves on the cart as it is: crossing the spend tier counts", async () => {
    const context = await browser.newContext();
    const { page, served } = await productPage(context);
    await page.locator(".upshelf-fbt.is-ready").waitFor({ timeout: 30_000 });
    const pick = served[0] as Recommendation;
    // Just under the £100.00 spend tier with units of the pick: one more unit crosses it.
    const units = Math.ceil(10_000 / pick.price.amount) - 1;
    await themeCartWrite(page, "add", { id: Number(pick.variantId), quantity: units });
    await page.getByRole("checkbox", { name: /^This item:/ }).uncheck();
    await page.getByRole("checkbox", { name: pick.title }).check();

    const offers = (await db.offer.findMany({ where: { shopId: DEMO_SHOP_DOMAIN, id: { in: [tiersId, bundleId] } } })).map((row) => JSON.parse(row.config) as Offer);
    const discountOf = (quantity: number) => {
      const line = { id: "p", variantId: `gid://shopify/ProductVariant/${pick.variantId}`, productId: `gid://shopify/Product/${pick.productId}`, unitPrice: pick.price.amount, quantity, collectionIds: [] };
      return priceCart({ cart: { currency: "GBP", lines: quantity > 0 ? [line] : [] }, offers, now: Date.now() }).totalDiscount;
    };
    const saving = discountOf(units + 1) - discountOf(units);
    expect(saving).toBeGreaterThan(0);
    await expect.poll(() => page.locator(".upshelf-fbt [data-saving]").innerText()).toBe(`You save ${gbp(saving)}`);
    expect(await page.locator(".upshelf-fbt [data-total]").innerText()).toBe(gbp(pick.price.amount - saving));
    await context.close();
  }, 60_000);

  it("states no saving for the selection while the cart holds a line the app's catalog does not know yet", async () => {
    const context = await browser.newContext();
    try {
      // A product created in Shopify since the app's last catalog sync, £50.00 in the cart: the app
      // prices it at nothing, checkout at £50.00.
      await context.route("**/preview/cart.js", async (route) => {
        const response = await route.fetch();
        const cart = (await response.json()) as CartJson;
        const unknown = { key: "987654321:new", variant_id: 987_654_321, product_id: 123_456_789, quantity: 1, price: 5_000, product_title: "New in", properties: {} };
        await route.fulfill({ response, json: { ...cart, items: [...cart.items, unknown], item_count: cart.item_count + 1 } });
      });
      const { page, served } = await productPage(context);
      await page.locator(".upshelf-fbt.is-ready").waitFor({ timeout: 30_000 });
      const pick = served[0] as Recommendation;
      // Just under the £100.00 spend tier with the units the app knows: one more crosses it there,
      // but checkout, counting the new product, gives the tier already; the pick adds only its 5%.
      const units = Math.ceil(10_000 / pick.price.amount) - 1;
      await themeCartWrite(page, "add", { id: Number(pick.variantId), quantity: units });
      await page.getByRole("checkbox", { name: /^This item:/ }).uncheck();
      await page.getByRole("checkbox", { name: pick.title }).check();
      await expect.poll(() => page.locator(".upshelf-fbt [data-total]").innerText(), { timeout: 10_000 }).toBe(gbp(pick.price.amount));
      expect(await page.locator(".upshelf-fbt [data-saving]").innerText()).toBe("");
    } finally {
      // The widgets may still be reading the cart through the route above: closing under it threw.
      await context.unrouteAll({ behavior: "ignoreErrors" });
      await context.close();
    }
  }, 60_000);

  it("puts the cart-drawer upsell back when a cart write redraws the drawer's section, still offering to remove what the buyer added there", async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(url(`/preview/products/${ANCHOR}`), { waitUntil: "domcontentloaded" });
      await themeCartWrite(page, "add", { items: [{ id: Number(anchor.variantId), quantity: 1 }] });
      await page.reload({ waitUntil: "domcontentloaded" });
      await page.locator(".upshelf-fbt.is-ready").waitFor({ timeout: 30_000 });
      await page.locator("#CartDrawer .upshelf-drawer.is-ready").waitFor({ state: "attached", timeout: 30_000 });
      // The buyer opens the drawer and adds its first suggestion there.
      await page.locator("#CartDrawer summary").click();
      const drawer = page.locator("#CartDrawer .upshelf-drawer");
      const firstAdd = drawer.getByRole("button", { name: /^Add / }).first();
      const addedTitle = ((await firstAdd.getAttribute("aria-label")) ?? "").replace(/^Add /, "").replace(/ to your cart$/, "");
      const drawerElement = await drawer.elementHandle();
      // A theme subscriber that throws (after the drawer's own) must not turn the add into an error.
      await page.evaluate(() => (window as unknown as { subscribe: (name: string, callback: () => void) => void }).subscribe("cart-update", () => {
        throw new Error("a theme's broken subscriber");
      }));
      await firstAdd.click();
      await drawer.getByRole("button", { name: `Remove ${addedTitle} from your cart` }).waitFor({ timeout: 15_000 });
      // The section holding the drawer is left alone; the theme hears "cart:refresh" and updates its counts.
      await expect.poll(() => page.locator("#cart-count").innerText(), { timeout: 10_000 }).toBe("2");
      expect(await page.locator("#CartDrawer [data-cart-count]").innerText()).toBe("2");
      // Dawn's pubsub hears "cart-update" and redraws the drawer's lines, which now list the addition,
      // while the upsell the buyer used stays where it was (not redrawn: focus and undo are kept).
      await expect.poll(() => page.locator("#CartDrawer [data-drawer-lines]").innerText(), { timeout: 10_000 }).toContain(`${addedTitle} × 1`);
      expect(await drawerElement?.evaluate((element) => element.isConnected)).toBe(true);
      // "Add selected" refreshes the cart bubble section, the drawer with it.
      await page.locator(".upshelf-fbt .upshelf__check").nth(1).check();
      await page.locator(".upshelf-fbt [data-add-selected]").click();
      await expect.poll(() => page.locator(".upshelf-fbt [data-status]").innerText(), { timeout: 15_000 }).not.toBe("");
      await expect.poll(() => drawerElement?.evaluate((element) => element.isConnected), { timeout: 10_000 }).toBe(false);
      await expect.poll(() => page.locator("#CartDrawer .upshelf-drawer").count(), { timeout: 10_000 }).toBe(1);
      await page.locator("#CartDrawer .upshelf-drawer.is-ready").waitFor({ state: "attached", timeout: 15_000 });
      // The redrawn drawer's upsell still lists what the buyer added from it, with one tap to remove it.
      if (!(await page.locator("#CartDrawer").evaluate((details) => (details as HTMLDetailsElement).open))) await page.locator("#CartDrawer summary").click();
      await drawer.getByRole("button", { name: `Remove ${addedTitle} from your cart` }).waitFor({ timeout: 15_000 });
    } finally {
      await context.close();
    }
  }, 60_000);

  it("leaves a sold-out product of the page unticked and disabled in 'frequently bought together'", async () => {
    const variant = await db.variant.findFirstOrThrow({ where: { shopId: DEMO_SHOP_DOMAIN, shopifyId: anchor.variantId } });
    await db.variant.update({ where: { id: variant.id }, data: { inventoryQuantity: 0, inventoryPolicy: "deny" } });
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(url(`/preview/products/${ANCHOR}`), { waitUntil: "domcontentloaded" });
      await page.locator(".upshelf-fbt.is-ready").waitFor({ timeout: 30_000 });
      const box = page.locator(".upshelf-fbt [data-anchor]");
      expect(await box.isChecked()).toBe(false);
      expect(await box.isDisabled()).toBe(true);
    } finally {
      await db.variant.update({ where: { id: variant.id }, data: { inventoryQuantity: variant.inventoryQuantity, inventoryPolicy: variant.inventoryPolicy } });
      await context.close();
    }
  }, 60_000);

  it("keeps the cart upsell, and the remove button of what the buyer added, when a refresh of its list fails", async () => {
    const context = await browser.newContext();
    let failing = false;
    await context.route("**/apps/upshelf/recommendations?placement=cart*", (route) => (failing ? route.fulfill({ status: 503, body: "{}" }) : route.fallback()));
    try {
      const page = await context.newPage();
      await page.goto(url(`/preview/products/${ANCHOR}`), { waitUntil: "domcontentloaded" });
      await themeCartWrite(page, "add", { items: [{ id: Number(anchor.variantId), quantity: 1 }] });
      await page.goto(url("/preview/cart"), { waitUntil: "domcontentloaded" });
      const upsell = page.locator("#upshelf-cart_upsell");
      await page.locator("#upshelf-cart_upsell.is-ready").waitFor({ timeout: 30_000 });
      await upsell.getByRole("button", { name: /^Add / }).first().click();
      const remove = upsell.getByRole("button", { name: /^Remove / });
      await remove.waitFor();
      await page.waitForTimeout(1_200); // past the pause after the buyer's own taps
      failing = true;
      const failed = page.waitForResponse((r) => r.url().includes("/apps/upshelf/recommendations?placement=cart") && r.status() === 503);
      await themeCartWrite(page, "add", { items: [{ id: Number(anchor.variantId), quantity: 1 }] });
      await failed;
      await page.waitForTimeout(500);
      expect(await page.locator("#upshelf-cart_upsell.is-ready").count()).toBe(1);
      expect(await remove.isVisible()).toBe(true);
    } finally {
      await context.close();
    }
  }, 60_000);

  it("keeps the upgrade's undo usable when the redraw after the buyer's add fails: one tap still removes it, and focus stays in the block", async () => {
    const ladder = await cakestandUpgrade();
    const context = await browser.newContext();
    let failing = false;
    await context.route("**/apps/upshelf/offers?*", (route) => (failing ? route.fulfill({ status: 503, body: "{}" }) : route.fallback()));
    try {
      const page = await context.newPage();
      await page.goto(url(`/preview/products/${ANCHOR}`), { waitUntil: "domcontentloaded" });
      const upgrade = page.locator(".upshelf-upgrade");
      await page.locator(".upshelf-upgrade.is-ready").waitFor({ timeout: 30_000 });
      failing = true;
      const failed = page.waitForResponse((r) => r.url().includes("/apps/upshelf/offers?") && r.status() === 503);
      await upgrade.getByRole("button", { name: "Add the upgrade to cart" }).click();
      const undo = upgrade.getByRole("button", { name: "Undo" });
      await undo.waitFor();
      await failed;
      await page.waitForTimeout(500);
      expect(await undo.isVisible()).toBe(true);
      // The offer itself is not left up: it was priced for the cart before the add.
      const add = upgrade.getByRole("button", { name: "Add the upgrade to cart" });
      expect(await add.isVisible()).toBe(false);
      // A keyboard user takes it back (the app answers again by then). The undo button goes and the
      // offer's is still hidden: focus lands on the block's heading, not at the top of the page.
      failing = false;
      await undo.focus();
      await page.keyboard.press("Enter");
      await expect.poll(async () => (await cartOf(page)).items.length, { timeout: 10_000 }).toBe(0);
      const focused = () => page.evaluate(() => (document.activeElement?.closest(".upshelf-upgrade") ? document.activeElement.textContent?.trim() : document.activeElement?.tagName));
      await expect.poll(focused).toBe("Upgrade your choice");
      // The offer for the cart as it is now comes back; focus stays where it landed.
      await add.waitFor({ timeout: 10_000 });
      expect(await focused()).toBe("Upgrade your choice");
    } finally {
      await deleteOffer(DEMO_SHOP_DOMAIN, ladder);
      await context.close();
    }
  }, 60_000);

  it("takes the upgrade's button away once the buyer has added it (a second tap would only add another), keeps Undo, and brings the offer back after it", async () => {
    await onCakestandUpgrade(async ({ page, upgrade }) => {
      const add = upgrade.getByRole("button", { name: "Add the upgrade to cart" });
      await add.click();
      const undo = upgrade.getByRole("button", { name: "Undo" });
      await undo.waitFor();
      // The redraw for the cart with the upgrade in it has no offer to add: the button goes, Undo stays.
      await add.waitFor({ state: "hidden", timeout: 10_000 });
      expect(await undo.isVisible()).toBe(true);
      expect((await cartOf(page)).items.map((item) => item.quantity)).toEqual([1]);
      await undo.click();
      await expect.poll(async () => (await cartOf(page)).items.length, { timeout: 10_000 }).toBe(0);
      await add.waitFor({ timeout: 10_000 });
    });
  }, 60_000);

  it("offers to swap the buyer's step in the cart for the upgrade at the same quantity, labelled as a swap, and one tap undoes it", async () => {
    const dearer = await dearerVariant();
    await onCakestandUpgrade(async ({ page, upgrade }) => {
      // Two cakestands, as a gift: the button now swaps them, and says so; the message names the two.
      await themeCartWrite(page, "add", { items: [{ id: Number(anchor.variantId), quantity: 2, properties: { Gift: "yes" } }] });
      const swap = upgrade.getByRole("button", { name: "Swap for the upgrade" });
      await swap.waitFor({ timeout: 10_000 });
      expect(await upgrade.getByRole("button", { name: "Add the upgrade to cart" }).count()).toBe(0);
      expect(await upgrade.locator("[data-message]").innerText()).toMatch(/^For £[\d.,]+ more: 2 × /);
      const lines = async () => (await cartOf(page)).items.map((item) => [item.product_title, item.quantity, item.properties.Gift ?? null]);
      await swap.click();
      // The cakestands' line is replaced by the upgrade, same quantity: not added beside it.
      await expect.poll(lines, { timeout: 10_000 }).toEqual([[dearer.product.title, 2, null]]);
      await expect.poll(() => upgrade.locator("[role=status]").innerText()).toBe("Done: the upgrade is in your cart.");
      // One tap puts the line back as it was (quantity and properties) and takes the upgrade out.
      await upgrade.getByRole("button", { name: "Undo" }).click();
      await expect.poll(lines, { timeout: 10_000 }).toEqual([["Regency Cakestand 3 Tier", 2, "yes"]]);
      await expect.poll(() => upgrade.locator("[role=status]").innerText()).toBe("Undone: your cart is as it was.");
    });
  }, 60_000);

  it("undoes a swap of a line without properties when the cart gives its properties as null", async () => {
    const dearer = await dearerVariant();
    await onCakestandUpgrade(
      async ({ page, upgrade }) => {
        await themeCartWrite(page, "add", { items: [{ id: Number(anchor.variantId), quantity: 1 }] });
        await upgrade.getByRole("button", { name: "Swap for the upgrade" }).click({ timeout: 10_000 });
        const lines = async () => (await cartOf(page)).items.map((item) => [item.product_title, item.quantity]);
        await expect.poll(lines, { timeout: 10_000 }).toEqual([[dearer.product.title, 1]]);
        await upgrade.getByRole("button", { name: "Undo" }).click();
        await expect.poll(lines, { timeout: 10_000 }).toEqual([["Regency Cakestand 3 Tier", 1]]);
        await expect.poll(() => upgrade.locator("[role=status]").innerText()).toBe("Undone: your cart is as it was.");
      },
      async (context) => {
        // A cart that writes a line's missing properties as null (the preview's writes {}), which an add refuses.
        await context.route("**/cart.js", async (route) => {
          const response = await route.fetch();
          const cart = (await response.json()) as { items: { properties: object | null }[] };
          for (const item of cart.items) if (Object.keys(item.properties ?? {}).length === 0) item.properties = null;
          await route.fulfill({ response, json: cart });
        });
      },
    );
  }, 60_000);

  it("never swaps a line bought on a selling plan: with the step only on a plan the button adds the upgrade, and beside a line bought once it swaps that line alone", async () => {
    const dearer = await dearerVariant();
    await onCakestandUpgrade(async ({ page, upgrade }) => {
      // The cakestand as a subscription, on the plan its product lists (the preview storefront's demo plan).
      const listed = (await page.evaluate((handle) => fetch(`/preview/products/${handle}.js`).then((r) => r.json()), ANCHOR)) as { selling_plan_groups: { selling_plans: { id: number }[] }[] };
      const plan = listed.selling_plan_groups[0]?.selling_plans[0]?.id as number;
      const redrawn = page.waitForResponse((r) => r.url().includes("/apps/upshelf/offers?") && r.url().includes(`cart=${anchor.variantId}:`));
      await themeCartWrite(page, "add", { items: [{ id: Number(anchor.variantId), quantity: 2, selling_plan: plan }] });
      await redrawn;
      await page.waitForTimeout(500);
      const lines = async () =>
        (await cartOf(page)).items
          .map((item) => [item.product_title, item.quantity, item.selling_plan_allocation?.selling_plan.id ?? null])
          .sort((a, b) => String(a).localeCompare(String(b)));
      const subscription = ["Regency Cakestand 3 Tier", 2, plan];
      // Priced without the plan's saving, the subscription is not offered for a swap: the buyer is
      // offered what they would be without it, one upgrade added, and the subscription stays.
      expect(await upgrade.getByRole("button", { name: "Swap for the upgrade" }).count()).toBe(0);
      expect(await upgrade.locator("[data-message]").innerText()).not.toMatch(/ × /);
      await upgrade.getByRole("button", { name: "Add the upgrade to cart" }).click();
      await expect.poll(lines, { timeout: 10_000 }).toEqual([[dearer.product.title, 1, null], subscription].sort((a, b) => String(a).localeCompare(String(b))));
      await upgrade.getByRole("button", { name: "Undo" }).click();
      await expect.poll(lines, { timeout: 10_000 }).toEqual([subscription]);
      // One more bought once: that line alone is swapped (the message counts one), the subscription stays.
      await themeCartWrite(page, "add", { items: [{ id: Number(anchor.variantId), quantity: 1 }] });
      await expect.poll(() => upgrade.locator("[data-message]").innerText(), { timeout: 10_000 }).toMatch(/^For £[\d.,]+ more: 1 × /);
      await upgrade.getByRole("button", { name: "Swap for the upgrade" }).click();
      await expect.poll(lines, { timeout: 10_000 }).toEqual([[dearer.product.title, 1, null], subscription].sort((a, b) => String(a).localeCompare(String(b))));
      await expect.poll(() => upgrade.locator("[role=status]").innerText()).toBe("Done: the upgrade is in your cart.");
      await upgrade.getByRole("button", { name: "Undo" }).click();
      await expect.poll(lines, { timeout: 10_000 }).toEqual([["Regency Cakestand 3 Tier", 1, null], subscription]);
      await expect.poll(() => upgrade.locator("[role=status]").innerText()).toBe("Undone: your cart is as it was.");
    });
  }, 60_000);

  it("swaps every line of the buyer's step (the units the app priced and the message counts) for the upgrade, and one tap puts each back as it was", async () => {
    const dearer = await dearerVariant();
    await onCakestandUpgrade(async ({ page, upgrade }) => {
      // One cakestand as a gift and two for the buyer: two lines of the step, three units.
      await themeCartWrite(page, "add", {
        items: [
          { id: Number(anchor.variantId), quantity: 1, properties: { Gift: "yes" } },
          { id: Number(anchor.variantId), quantity: 2 },
        ],
      });
      const swap = upgrade.getByRole("button", { name: "Swap for the upgrade" });
      await expect.poll(() => upgrade.locator("[data-message]").innerText(), { timeout: 10_000 }).toMatch(/^For £[\d.,]+ more: 3 × /);
      const lines = async () =>
        (await cartOf(page)).items
          .map((item) => [item.product_title, item.quantity, item.properties.Gift ?? null])
          .sort((a, b) => String(a).localeCompare(String(b)));
      await swap.click();
      // Both lines go and three upgrades come in: the swap the message priced, not one line of it.
      await expect.poll(lines, { timeout: 10_000 }).toEqual([[dearer.product.title, 3, null]]);
      await expect.poll(() => upgrade.locator("[role=status]").innerText()).toBe("Done: the upgrade is in your cart.");
      await upgrade.getByRole("button", { name: "Undo" }).click();
      await expect.poll(lines, { timeout: 10_000 }).toEqual([
        ["Regency Cakestand 3 Tier", 1, "yes"],
        ["Regency Cakestand 3 Tier", 2, null],
      ]);
      await expect.poll(() => upgrade.locator("[role=status]").innerText()).toBe("Undone: your cart is as it was.");
    });
  }, 60_000);

  it("keeps the upgrade drawn for the cart as it is now when the answers for earlier carts come in too late", async () => {
    const ladder = await cakestandUpgrade();
    const context = await browser.newContext();
    // The answers for the page's empty cart and for one cakestand never come: the widget gives up on them after 4 s.
    const earlier = ["", `${anchor.variantId}:1`];
    await context.route("**/apps/upshelf/offers?*", (route) =>
      earlier.includes(new URL(route.request().url()).searchParams.get("cart") ?? "") ? new Promise(() => {}) : route.fallback(),
    );
    try {
      const page = await context.newPage();
      const askedFirst = page.waitForRequest((r) => r.url().includes("/apps/upshelf/offers?"));
      await page.goto(url(`/preview/products/${ANCHOR}`), { waitUntil: "domcontentloaded" });
      await askedFirst;
      const askedEarlier = page.waitForRequest((r) => new URL(r.url()).searchParams.get("cart") === earlier[1]);
      await themeCartWrite(page, "add", { items: [{ id: Number(anchor.variantId), quantity: 1 }] });
      await askedEarlier;
      await themeCartWrite(page, "change", { line: 1, quantity: 2 });
      await page.locator(".upshelf-upgrade.is-ready").waitFor({ timeout: 10_000 });
      await page.waitForTimeout(5_000); // past the 4 s the widget waits for the earlier answers
      expect(await page.locator(".upshelf-upgrade").getAttribute("class")).toContain("is-ready");
    } finally {
      await deleteOffer(DEMO_SHOP_DOMAIN, ladder);
      await context.close();
    }
  }, 60_000);

  it("keeps the cart upsell drawn for the cart as it is now when the page's first answer fails late", async () => {
    const context = await browser.newContext();
    try {
      const { page, served } = await productPage(context);
      await themeCartWrite(page, "add", { items: [{ id: Number(anchor.variantId), quantity: 1 }] });
      const other = served[0] as Recommendation;
      // The answers for the cart at load (the cakestand alone) fail, once the list for the cart as the theme then changed it is drawn.
      let release = () => {};
      const held = new Promise<void>((resolve) => (release = resolve));
      const heldRequests: BrowserRequest[] = [];
      await page.route("**/apps/upshelf/recommendations?placement=cart*", async (route) => {
        if (new URL(route.request().url()).searchParams.get("variant_ids") !== anchor.variantId) return route.fallback();
        heldRequests.push(route.request());
        await held;
        await route.fulfill({ status: 503, body: "{}" }).catch(() => {});
      });
      const askedFirst = page.waitForRequest((r) => r.url().includes("/apps/upshelf/recommendations?placement=cart"));
      await page.goto(url("/preview/cart"), { waitUntil: "domcontentloaded" });
      await askedFirst;
      await themeCartWrite(page, "add", { items: [{ id: Number(other.variantId), quantity: 1 }] });
      await page.locator("#upshelf-cart_upsell.is-ready").waitFor({ timeout: 10_000 });
      await expect.poll(() => heldRequests.length).toBeGreaterThan(0);
      release();
      // Each held answer ends in a failure: the 503, or, when a loaded machine took over 4 s to get
      // here, the widget's own giving up (the request aborted, so no 503 ever comes; waiting for
      // one failed this test on a busy machine).
      await Promise.all(heldRequests.map((request) => request.response()));
      await page.waitForTimeout(500);
      expect(await page.locator("#upshelf-cart_upsell").getAttribute("class")).toContain("is-ready");
    } finally {
      await context.close();
    }
  }, 60_000);

  it("shows the tier progress bar's message for the cart as it is now when an answer for an earlier cart comes in late", async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(url(`/preview/products/${ANCHOR}`), { waitUntil: "domcontentloaded" });
      await themeCartWrite(page, "add", { items: [{ id: Number(anchor.variantId), quantity: 1 }] });
      await page.goto(url("/preview/cart"), { waitUntil: "domcontentloaded" });
      const bar = page.getByRole("region", { name: "Cart savings" });
      await bar.waitFor({ timeout: 30_000 });
      const quantityOf = (request: { postDataJSON(): unknown }) => (request.postDataJSON() as { lines: { quantity: number }[] } | null)?.lines[0]?.quantity;
      // The pricing of two cakestands is answered only once the pricing of three is drawn.
      let release = () => {};
      const held = new Promise<void>((resolve) => (release = resolve));
      await page.route("**/apps/upshelf/cart/price", async (route) => {
        if (quantityOf(route.request()) === 2) await held;
        await route.fallback();
      });
      const messageOf = async (response: Promise<{ json(): Promise<unknown> }>) =>
        ((await (await response).json()) as { progress: { offer_id: string; message: string }[] }).progress.find((p) => p.offer_id === tiersId)?.message;
      const pricedFor = (quantity: number) => page.waitForResponse((r) => r.url().includes("/apps/upshelf/cart/price") && quantityOf(r.request()) === quantity);
      const askedTwo = page.waitForRequest((r) => r.url().includes("/apps/upshelf/cart/price") && quantityOf(r) === 2);
      const two = pricedFor(2);
      await themeCartWrite(page, "change", { line: 1, quantity: 2 });
      await askedTwo;
      const three = pricedFor(3);
      await themeCartWrite(page, "change", { line: 1, quantity: 3 });
      const latest = await messageOf(three);
      expect(latest).toMatch(/^Add /);
      await expect.poll(() => bar.locator("[data-message]").innerText(), { timeout: 10_000 }).toBe(latest);
      release();
      expect(await messageOf(two)).not.toBe(latest);
      await page.waitForTimeout(500);
      expect(await bar.locator("[data-message]").innerText()).toBe(latest);
    } finally {
      await context.close();
    }
  }, 60_000);

  it("offers in the cart upsells nothing the cart as it is now holds when the answers for an earlier cart come in late", async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(url(`/preview/products/${ANCHOR}`), { waitUntil: "domcontentloaded" });
      await themeCartWrite(page, "add", { items: [{ id: Number(anchor.variantId), quantity: 1 }] });
      await page.goto(url("/preview/cart"), { waitUntil: "domcontentloaded" });
      await page.locator("#upshelf-cart_upsell.is-ready").waitFor({ timeout: 30_000 });
      // The answers for the cart of cakestands alone are held (the page's upsell and the drawer's
      // both ask); what the first recommends is then put in the cart by the theme.
      let release = () => {};
      const held = new Promise<void>((resolve) => (release = resolve));
      let recommended: (value: Recommendation[]) => void = () => {};
      const earlier = new Promise<Recommendation[]>((resolve) => (recommended = resolve));
      const late: Promise<unknown>[] = [];
      await page.route("**/apps/upshelf/recommendations?placement=cart*", async (route) => {
        if (new URL(route.request().url()).searchParams.get("variant_ids") !== anchor.variantId) return route.fallback();
        const response = await route.fetch();
        const body = (await response.json()) as { recommendations: Recommendation[] };
        recommended(body.recommendations);
        await held;
        late.push(page.waitForResponse((r) => r.request() === route.request()));
        await route.fulfill({ response, json: body });
      });
      await themeCartWrite(page, "change", { line: 1, quantity: 2 });
      const pick = (await earlier)[0] as Recommendation;
      const latest = page.waitForResponse((r) => r.url().includes("/apps/upshelf/recommendations?placement=cart") && r.url().includes(pick.variantId));
      await themeCartWrite(page, "add", { items: [{ id: Number(pick.variantId), quantity: 1 }] });
      await latest;
      const offered = page.locator(`.upshelf [data-items] > li[data-product="${pick.productId}"]`);
      await page.waitForTimeout(500);
      expect(await offered.count(), "what is in the cart is not offered").toBe(0);
      release();
      await page.waitForTimeout(200);
      await Promise.all(late);
      await page.waitForTimeout(500);
      expect(await offered.count(), "still not offered once the earlier cart's answers are in").toBe(0);
    } finally {
      await context.close();
    }
  }, 60_000);

  it("counts the cart upsell's impressions without an error when an item leaves the page just as it comes into view", async () => {
    const context = await browser.newContext();
    // A long cart page: the upsell starts out of view.
    await context.addInitScript(() =>
      document.addEventListener("DOMContentLoaded", () => document.body.prepend(Object.assign(document.createElement("div"), { style: "height:3000px" }))),
    );
    try {
      const page = await context.newPage();
      const errors: string[] = [];
      page.on("pageerror", (error) => errors.push(error.message));
      await page.goto(url(`/preview/products/${ANCHOR}`), { waitUntil: "domcontentloaded" });
      await themeCartWrite(page, "add", { items: [{ id: Number(anchor.variantId), quantity: 1 }] });
      await page.goto(url("/preview/cart"), { waitUntil: "domcontentloaded" });
      await page.locator("#upshelf-cart_upsell.is-ready").waitFor({ state: "attached", timeout: 30_000 });
      const items = page.locator("#upshelf-cart_upsell [data-items] > li");
      expect(await items.count()).toBeGreaterThan(1);
      const kept = await items.nth(1).getAttribute("data-product");
      await page.waitForTimeout(300);
      // The items come into view, and the first leaves the page (a redraw) before the observer reports it.
      await page.evaluate(
        () =>
          new Promise<void>((resolve) =>
            requestAnimationFrame(() => {
              const list = document.querySelector("#upshelf-cart_upsell [data-items]") as HTMLElement;
              list.scrollIntoView();
              setTimeout(() => list.firstElementChild?.remove(), 0);
              setTimeout(resolve, 300);
            }),
          ),
      );
      expect(errors).toEqual([]);
      const sent = page.waitForRequest((r) => r.url().includes("/apps/upshelf/events"), { timeout: 5_000 });
      await page.evaluate(() => dispatchEvent(new Event("pagehide")));
      const events = ((await sent).postDataJSON() as { events: { kind: string; product: string }[] }).events;
      expect(events.filter((event) => event.kind === "impression").map((event) => event.product)).toContain(kept);
    } finally {
      await context.close();
    }
  }, 60_000);

  it("gives the cart upsell's titles room on a 320 px phone: the price goes under the title, the row keeps its height", async () => {
    const context = await browser.newContext({ viewport: { width: 320, height: 900 } });
    try {
      const page = await context.newPage();
      await page.goto(url(`/preview/products/${ANCHOR}`), { waitUntil: "domcontentloaded" });
      await themeCartWrite(page, "add", { items: [{ id: Number(anchor.variantId), quantity: 1 }] });
      await page.goto(url("/preview/cart"), { waitUntil: "domcontentloaded" });
      await page.locator("#upshelf-cart_upsell.is-ready").waitFor({ timeout: 30_000 });
      const rows = await page.locator("#upshelf-cart_upsell .upshelf__item").evaluateAll((items) =>
        items.map((item) => {
          const box = (selector: string) => (item.querySelector(selector) as HTMLElement).getBoundingClientRect();
          return { row: item.getBoundingClientRect(), title: box(".upshelf__title"), price: box(".upshelf__price"), button: box(".upshelf__button") };
        }),
      );
      expect(rows.length).toBeGreaterThan(0);
      for (const { row, title, price, button } of rows) {
        expect(title.width, "the title has at least 6rem, two lines of about 14 letters").toBeGreaterThanOrEqual(96);
        expect(price.top, "the price sits under the title").toBeGreaterThanOrEqual(title.bottom - 1);
        expect(button.right).toBeLessThanOrEqual(row.right + 0.5);
        expect(price.bottom, "nothing spills out of the row").toBeLessThanOrEqual(row.bottom + 0.5);
      }
    } finally {
      await context.close();
    }
  }, 60_000);

  it("labels a compare-at price for screen readers, without drawing the labels", async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      // The shop's products, as if each were on sale at its price from 1.00 more.
      await page.route(/\/preview\/products\/[^/?]+\.js(\?.*)?$/, async (route) => {
        const product = (await (await route.fetch()).json()) as { variants: { price: number; compare_at_price: number | null }[] };
        for (const variant of product.variants) variant.compare_at_price = variant.price + 100;
        await route.fulfill({ json: product });
      });
      await page.goto(url(`/preview/products/${ANCHOR}`), { waitUntil: "domcontentloaded" });
      await page.locator(".upshelf-fbt.is-ready").waitFor({ timeout: 30_000 });
      const price = page.locator(".upshelf-fbt .upshelf__item:not(.upshelf__item--anchor) .upshelf__price").first();
      const shown = await price.innerText();
      expect(shown).toMatch(/^£[\d.,]+ £[\d.,]+$/);
      expect(await price.ariaSnapshot()).toContain(`Regular price ${shown.split(" ")[0]}`);
      expect(await price.ariaSnapshot()).toContain(`Sale price ${shown.split(" ")[1]}`);
    } finally {
      await context.close();
    }
  }, 60_000);

  it("keeps text readable on the accent and background colours a merchant picks: black or white, whichever contrasts more", async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      // What the blocks render for a yellow accent and a near-black background (snippets/upshelf-style.liquid).
      await page.route(/\/preview\/products\/[^/?.]+$/, async (route) => {
        const html = (await (await route.fetch()).text()).replace(/(data-upshelf="(?:fbt|embed)"[^>]*?style=")/g, "$1--upshelf-accent:#f5c518;--upshelf-bg:#1c1c1c;");
        await route.fulfill({ body: html, contentType: "text/html" });
      });
      await page.goto(url(`/preview/products/${ANCHOR}`), { waitUntil: "domcontentloaded" });
      await themeCartWrite(page, "add", { items: [{ id: Number(anchor.variantId), quantity: 1 }] });
      await page.reload({ waitUntil: "domcontentloaded" });
      await page.locator(".upshelf-fbt.is-ready").waitFor({ timeout: 30_000 });
      const bar = page.getByRole("region", { name: "Cart savings" });
      await bar.waitFor({ timeout: 30_000 });
      const contrast = (selector: string, behind: "background" | "accent") => contrastOf(page, selector, behind);
      expect(await contrast(".upshelf-fbt [data-add-selected]", "accent")).toBeGreaterThanOrEqual(4.5);
      expect(await contrast(".upshelf-fbt .upshelf__title", "background")).toBeGreaterThanOrEqual(4.5);
      expect(await contrast(".upshelf-progress__message", "background")).toBeGreaterThanOrEqual(4.5);
    } finally {
      await context.close();
    }
  }, 60_000);

  it("draws a keyboard focus ring that stands out at least 3:1 from the page around it: no accent, a light or a dark accent, and on a dark background", async () => {
    // What the blocks render for a merchant's accent (and background) colour (snippets/upshelf-style.liquid);
    // without one, the theme's own button (the preview's: white text on near-black).
    for (const colours of ["", "--upshelf-accent:#f5c518;", "--upshelf-accent:#1a237e;", "--upshelf-accent:#1a237e;--upshelf-bg:#1c1c1c;"]) {
      const context = await browser.newContext();
      try {
        const page = await context.newPage();
        await page.route(/\/preview\/products\/[^/?.]+$/, async (route) => {
          const html = (await (await route.fetch()).text()).replace(/(data-upshelf="fbt"[^>]*?style=")/, `$1${colours}`);
          await route.fulfill({ body: html, contentType: "text/html" });
        });
        await page.goto(url(`/preview/products/${ANCHOR}`), { waitUntil: "domcontentloaded" });
        await page.locator(".upshelf-fbt.is-ready").waitFor({ timeout: 30_000 });
        // The button (on the accent), and a checkbox on the page's (or the block's) background.
        for (const control of [page.locator(".upshelf-fbt [data-add-selected]"), page.locator(".upshelf-fbt .upshelf__check").nth(1)]) {
          const ring = await focusIndicator(page, control);
          expect(ring.keyboard).toBe(true);
          expect(ring.changed, `${await control.evaluate((el) => el.outerHTML.slice(0, 60))} with ${colours}`).toBeGreaterThanOrEqual(ring.perimeter);
        }
      } finally {
        await context.close();
      }
    }
  }, 90_000);

  it("keeps the upgrade's 'View details' link readable, and underlined, on any background colour a merchant picks", async () => {
    const ladder = await cakestandUpgrade();
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      // What the block renders for a background colour (snippets/upshelf-style.liquid): dark, the
      // theme's own link colour (#0b57d0), mid grey (where black and white contrast alike), light, yellow.
      let background = "";
      await page.route(/\/preview\/products\/[^/?.]+$/, async (route) => {
        const html = (await (await route.fetch()).text()).replace(/(data-upshelf="upgrade"[^>]*?style=")/, `$1--upshelf-bg:${background};`);
        await route.fulfill({ body: html, contentType: "text/html" });
      });
      for (background of ["#1c1c1c", "#0b57d0", "#777777", "#f4f4f4", "#f5c518"]) {
        await page.goto(url(`/preview/products/${ANCHOR}`), { waitUntil: "domcontentloaded" });
        await page.locator(".upshelf-upgrade.is-ready").waitFor({ timeout: 30_000 });
        expect(await contrastOf(page, ".upshelf-upgrade [data-view]", "background"), `on ${background}`).toBeGreaterThanOrEqual(4.5);
        // In the text's colour, it is told from the text by its underline, whatever the theme does to links.
        expect(await page.locator(".upshelf-upgrade [data-view]").evaluate((el) => getComputedStyle(el).textDecorationLine)).toBe("underline");
      }
    } finally {
      await deleteOffer(DEMO_SHOP_DOMAIN, ladder);
      await context.close();
    }
  }, 90_000);

  it("gives the cart-drawer upsell the accent colour, as the other widgets, with its text readable on it", async () => {
    // An accent on the Settings page: every widget, the embed's drawer upsell too, takes it when its own is empty.
    const stored = await db.shopSettings.findUnique({ where: { shopId: DEMO_SHOP_DOMAIN } });
    const settings = await getShopSettings(DEMO_SHOP_DOMAIN);
    await saveShopSettings(DEMO_SHOP_DOMAIN, { ...settings, appearance: { ...settings.appearance, accentColour: "#f5c518" } });
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(url(`/preview/products/${ANCHOR}`), { waitUntil: "domcontentloaded" });
      await themeCartWrite(page, "add", { items: [{ id: Number(anchor.variantId), quantity: 1 }] });
      await page.reload({ waitUntil: "domcontentloaded" });
      await page.locator(".upshelf-fbt.is-ready").waitFor({ timeout: 30_000 });
      await page.locator("#CartDrawer .upshelf-drawer.is-ready").waitFor({ state: "attached", timeout: 30_000 });
      await page.locator("#CartDrawer summary").click();
      const background = (selector: string) => page.locator(selector).first().evaluate((el) => getComputedStyle(el).backgroundColor);
      expect(await background(".upshelf-fbt [data-add-selected]")).toBe("rgb(245, 197, 24)");
      expect(await background("#CartDrawer .upshelf-drawer .upshelf__button")).toBe("rgb(245, 197, 24)");
      expect(await contrastOf(page, "#CartDrawer .upshelf-drawer .upshelf__button", "accent")).toBeGreaterThanOrEqual(4.5);
    } finally {
      if (stored) await db.shopSettings.update({ where: { shopId: DEMO_SHOP_DOMAIN }, data: { data: stored.data } });
      else await db.shopSettings.delete({ where: { shopId: DEMO_SHOP_DOMAIN } });
      await context.close();
    }
  }, 60_000);

  it("keeps every line of the upgrade in its place whatever the theme says of [hidden]: no incentive, and an offer hidden after a failed redraw", async () => {
    const ladder = await cakestandUpgrade();
    // Where each line of the block is, from its top, under each theme: a line that moves is a layout shift.
    const layouts: Record<string, Record<string, number>> = {};
    try {
      for (const theme of ["", "[hidden]{display:none!important}", "@layer base{[hidden]{display:none!important}}"]) {
        const context = await browser.newContext({ viewport: { width: 1280, height: 1400 } });
        let failing = false;
        await context.route("**/apps/upshelf/offers?*", (route) => (failing ? route.fulfill({ status: 503, body: "{}" }) : route.fallback()));
        try {
          const page = await context.newPage();
          await page.route(/\/preview\/products\/[^/?.]+$/, async (route) => {
            const html = (await (await route.fetch()).text()).replace("</head>", `<style>${theme}</style></head>`);
            await route.fulfill({ body: html, contentType: "text/html" });
          });
          await page.goto(url(`/preview/products/${ANCHOR}`), { waitUntil: "domcontentloaded" });
          await page.locator(".upshelf-upgrade.is-ready").waitFor({ timeout: 30_000 });
          const where = (selectors: string[]) =>
            page.locator(".upshelf-upgrade").evaluate(
              (el, selectors) => Object.fromEntries(selectors.map((selector) => [selector, (el.querySelector(selector) as HTMLElement).getBoundingClientRect().top - el.getBoundingClientRect().top])),
              selectors,
            );
          // This ladder has no incentive: its line stays, empty, so one showing moves nothing.
          const drawn = await where(["[data-message]", "[data-incentive]", "[data-view]", "[data-add-upgrade]", "[data-status]"]);
          expect(await page.locator(".upshelf-upgrade [data-incentive]").evaluate((el) => [(el as HTMLElement).hidden, el.getBoundingClientRect().height > 20]), theme).toEqual([true, true]);
          // The buyer adds it and the redraw fails: the offer goes, its space kept; the status line stays.
          failing = true;
          await page.locator(".upshelf-upgrade [data-add-upgrade]").click();
          await page.locator(".upshelf-upgrade [data-undo]").waitFor();
          await expect.poll(() => page.locator(".upshelf-upgrade__body").evaluate((el) => (el as HTMLElement).hidden), { timeout: 10_000 }).toBe(true);
          const failed = await where(["[data-status]", "[data-undo]"]);
          expect(failed["[data-status]"], theme).toBe(drawn["[data-status]"]);
          layouts[theme] = { ...drawn, undo: failed["[data-undo]"] as number };
        } finally {
          await context.close();
        }
      }
      expect(layouts["[hidden]{display:none!important}"]).toEqual(layouts[""]);
      expect(layouts["@layer base{[hidden]{display:none!important}}"]).toEqual(layouts[""]);
    } finally {
      await deleteOffer(DEMO_SHOP_DOMAIN, ladder);
    }
  }, 120_000);

  it("keeps the page's edge clear under the cart savings bar only while the bar shows", async () => {
    for (const position of ["top", "bottom"] as const) {
      const context = await browser.newContext();
      try {
        const page = await context.newPage();
        await page.route(/\/preview\/products\/[^/?.]+$/, async (route) => {
          const html = (await (await route.fetch()).text()).replace("upshelf-embed--bottom", `upshelf-embed--${position}`);
          await route.fulfill({ body: html, contentType: "text/html" });
        });
        const padding = () => page.evaluate((side) => getComputedStyle(document.documentElement).getPropertyValue(`scroll-padding-${side}`), position);
        const other = () => page.evaluate((side) => getComputedStyle(document.documentElement).getPropertyValue(`scroll-padding-${side}`), position === "top" ? "bottom" : "top");
        // An empty cart: no bar, no padding.
        await page.goto(url(`/preview/products/${ANCHOR}`), { waitUntil: "domcontentloaded" });
        await page.locator(".upshelf-fbt.is-ready").waitFor({ timeout: 30_000 });
        expect(await page.locator(".upshelf-progress").isVisible()).toBe(false);
        expect(await padding(), `bar at the ${position}, not shown`).toBe("auto");
        // Below the spend tier: the bar shows, and the page keeps its edge (6.5rem) clear.
        await themeCartWrite(page, "add", { items: [{ id: Number(anchor.variantId), quantity: 1 }] });
        await page.reload({ waitUntil: "domcontentloaded" });
        const bar = page.getByRole("region", { name: "Cart savings" });
        await bar.waitFor({ timeout: 30_000 });
        expect(await padding(), `bar at the ${position}, shown`).toBe("104px");
        expect(await other(), `the other edge, bar at the ${position}`).toBe("auto");
        // Dismissed: gone, and the padding with it.
        await bar.locator("[data-dismiss]").click();
        await expect.poll(() => bar.isVisible()).toBe(false);
        expect(await padding(), `bar at the ${position}, dismissed`).toBe("auto");
      } finally {
        await context.close();
      }
    }
  }, 90_000);

  it("gives every button and link of the blocks a visible focus ring and at least 24 × 24 px to tap, wholly in view, on a 320 px phone, in either layout", async () => {
    const breaks = await cakestandBreaks();
    const ladder = await cakestandUpgrade();
    try {
      for (const layout of ["list", "grid"]) {
        const context = await browser.newContext({ viewport: { width: 320, height: 640 } });
        try {
          const page = await context.newPage();
          await page.route(/\/preview\/(products\/[^/?.]+|cart)$/, async (route) => {
            const html = (await (await route.fetch()).text()).replaceAll("upshelf--list", `upshelf--${layout}`);
            await route.fulfill({ body: html, contentType: "text/html" });
          });
          // Every drawn control of the blocks (or of the cart savings bar); the cart drawer's upsell
          // stays in the theme's closed drawer (its rules are the cart upsell's).
          const check = async (where: string, controls = ".upshelf a[href], .upshelf button, .upshelf input") => {
            let checked = 0;
            for (const control of await page.locator(controls).all()) {
              if (!(await control.isVisible()) || (await control.evaluate((el) => !!el.closest("#CartDrawer")))) continue;
              const name = `${where}, ${layout} layout: ${await control.evaluate((el) => el.outerHTML.slice(0, 80))}`;
              const ring = await focusIndicator(page, control);
              expect(ring.box.width, name).toBeGreaterThanOrEqual(24);
              expect(ring.box.height, name).toBeGreaterThanOrEqual(24);
              // None of it cut off by its container, once scrolled to, nor below a card's edge.
              expect(ring.shown, name).toMatchObject({ scrolledDown: false });
              expect(ring.shown.width, name).toBeGreaterThanOrEqual(ring.box.width - 0.5);
              expect(ring.shown.height, name).toBeGreaterThanOrEqual(ring.box.height - 0.5);
              expect(ring.keyboard, name).toBe(true);
              expect(ring.changed, name).toBeGreaterThanOrEqual(ring.perimeter);
              // And on every side: a ring its container cuts off on one side is no ring there.
              for (const [side, length] of [["left", ring.box.height], ["right", ring.box.height], ["top", ring.box.width], ["bottom", ring.box.width]] as const) {
                expect(ring.sides[side], `${name}, ${side}`).toBeGreaterThanOrEqual(Math.floor(length));
              }
              checked += 1;
            }
            return checked;
          };
          await page.goto(url(`/preview/products/${ANCHOR}`), { waitUntil: "domcontentloaded" });
          for (const block of ["fbt", "upgrade", "qb"]) await page.locator(`.upshelf-${block}.is-ready`).waitFor({ timeout: 30_000 });
          // Adding shows each block's Undo, and the cart savings bar with its dismiss button.
          await page.locator(".upshelf-upgrade [data-add-upgrade]").click();
          await page.locator(".upshelf-upgrade [data-undo]").waitFor({ timeout: 15_000 });
          await page.locator(".upshelf-fbt [data-add-selected]").click();
          await page.locator(".upshelf-fbt [data-undo]").waitFor({ timeout: 15_000 });
          await page.locator(".upshelf-progress__dismiss").waitFor({ timeout: 15_000 });
          // The blocks redraw for the new cart (200 ms after it changes, then a read): measured once done.
          await page.waitForTimeout(1_500);
          expect(await check("cart savings bar", ".upshelf-progress button")).toBe(1);
          // Then out of the way: fixed to the viewport's edge, it would cover what is measured there.
          await page.locator(".upshelf-progress__dismiss").click();
          expect(await check("product page")).toBeGreaterThanOrEqual(7);
          await page.goto(url("/preview/cart"), { waitUntil: "domcontentloaded" });
          await page.locator("#upshelf-cart_upsell.is-ready").waitFor({ timeout: 30_000 });
          await page.waitForTimeout(1_500);
          expect(await check("cart page")).toBeGreaterThanOrEqual(2);
          if (layout === "grid") {
            // A card's title, price and button one under another, none drawn over the next.
            const overlapping = await page.locator("#upshelf-cart_upsell .upshelf__item").evaluateAll((cards) =>
              cards
                .filter((card) => {
                  const [title, price, button] = [".upshelf__title", ".upshelf__price", ".upshelf__button"].map((part) => (card.querySelector(part) as HTMLElement).getBoundingClientRect());
                  return (title as DOMRect).bottom > (price as DOMRect).top + 0.5 || (price as DOMRect).bottom > (button as DOMRect).top + 0.5;
                })
                .map((card) => card.querySelector(".upshelf__title")?.textContent),
            );
            expect(overlapping).toHaveLength(0);
          }
        } finally {
          await context.close();
        }
      }
    } finally {
      await deleteOffer(DEMO_SHOP_DOMAIN, breaks);
      await deleteOffer(DEMO_SHOP_DOMAIN, ladder);
    }
  }, 180_000);

  it("keeps the control the keyboard reaches out from under the cart savings bar on a phone, at the bottom or the top", async () => {
    for (const position of ["bottom", "top"]) {
      const context = await browser.newContext({ viewport: { width: 320, height: 640 } });
      try {
        const page = await context.newPage();
        await page.route(/\/preview\/(products\/[^/?.]+|cart)$/, async (route) => {
          const html = (await (await route.fetch()).text()).replace("upshelf-embed--bottom", `upshelf-embed--${position}`);
          await route.fulfill({ body: html, contentType: "text/html" });
        });
        await page.goto(url(`/preview/products/${ANCHOR}`), { waitUntil: "domcontentloaded" });
        // Below the spend tier: the bar shows on every page.
        await themeCartWrite(page, "add", { items: [{ id: Number(anchor.variantId), quantity: 1 }] });
        for (const [path, block] of [[`/preview/products/${ANCHOR}`, ".upshelf-fbt"], ["/preview/cart", "#upshelf-cart_upsell"]] as const) {
          await page.goto(url(path), { waitUntil: "domcontentloaded" });
          await page.getByRole("region", { name: "Cart savings" }).waitFor({ timeout: 30_000 });
          await page.locator(`${block}.is-ready`).waitFor({ timeout: 30_000 });
          // Down the page and back up, as a keyboard user goes: each control focused, theme's and Upshelf's.
          const covered = new Set<string>();
          for (const key of [...Array(20).fill("Tab"), ...Array(20).fill("Shift+Tab")] as string[]) {
            await page.keyboard.press(key);
            const under = await page.evaluate(() => {
              const control = document.activeElement as HTMLElement | null;
              const bar = (document.querySelector(".upshelf-progress") as HTMLElement).getBoundingClientRect();
              if (!control || control === document.body || control.closest(".upshelf-progress")) return null;
              const box = control.getBoundingClientRect();
              // What no scrolling can bring out from under it (the page's first or last bar's height) is not asked for.
              const [fromTop, fromEnd] = [box.top + scrollY, document.documentElement.scrollHeight - (box.bottom + scrollY)];
              if (fromTop < bar.height || fromEnd < bar.height) return null;
              return Math.min(box.bottom, bar.bottom) > Math.max(box.top, bar.top) ? control.outerHTML.slice(0, 80) : null;
            });
            if (under) covered.add(under);
          }
          expect([...covered], `${path}, bar at the ${position}`).toEqual([]);
        }
      } finally {
        await context.close();
      }
    }
  }, 120_000);

  it("keeps each block's theme editor note in view when the block has nothing to show, below the fold too, whatever the theme says of [hidden]", async () => {
    // The product page's blocks in the preview theme, and the note each gives in the theme editor.
    const notes = {
      qb: "Upshelf: shows on a product that a live quantity-breaks offer covers.",
      upgrade: "Upshelf: shows on a product that is a step below the top of a live upgrade ladder.",
      deals: "Upshelf: shows on a product that a live buy X get Y or mix-and-match offer covers.",
      fbt: "Upshelf: items bought with this product appear here once the app has recommendations for it.",
    };
    // The preview theme's stylesheet, then as some themes ship it: `[hidden]` hidden with !important,
    // and so in a cascade layer (Tailwind's preflight), where it beats every unlayered rule.
    for (const theme of ["", "[hidden]{display:none!important}", "@layer base{[hidden]{display:none!important}}"]) {
      const context = await browser.newContext({ viewport: { width: 1000, height: 300 } });
      try {
        const page = await context.newPage();
        await page.route(/\/preview\/products\/[^/?.]+(\?.*)?$/, async (route) => {
          const html = (await (await route.fetch()).text()).replace("</head>", `<style>${theme}</style></head>`);
          await route.fulfill({ body: html, contentType: "text/html" });
        });
        // No recommendations or offers for it: every block has nothing to show.
        await page.route("**/apps/upshelf/**", (route) => route.fulfill({ status: 500, body: "{}" }));
        // The theme editor's render (request.design_mode), which renders every block with its note.
        await page.goto(url(`/preview/products/${ANCHOR}?design_mode=1`), { waitUntil: "domcontentloaded" });
        for (const [block, note] of Object.entries(notes)) {
          const section = page.locator(`section.upshelf-${block}`);
          // Below the fold, the script lets the empty block's space go, as it does for buyers...
          await expect.poll(() => section.getAttribute("hidden"), { timeout: 10_000 }).not.toBeNull();
          // ...but in the editor the block and its note stay, for the merchant to scroll to.
          await section.evaluate((el) => el.scrollIntoView());
          expect(await section.getByText(note).isVisible(), `${block} under "${theme}"`).toBe(true);
        }
        // A buyer's page: no note, and the empty block below the fold takes no space.
        await page.goto(url(`/preview/products/${ANCHOR}`), { waitUntil: "domcontentloaded" });
        const fbt = page.locator("section.upshelf-fbt");
        await expect.poll(() => fbt.getAttribute("hidden"), { timeout: 10_000 }).not.toBeNull();
        expect(await fbt.evaluate((el) => getComputedStyle(el).display)).toBe("none");
        expect(await page.locator(".upshelf__editor-note").count()).toBe(0);
      } finally {
        await context.close();
      }
    }
  }, 90_000);

  it("shows the tier progress bar, and lets the buyer dismiss it, in a browser that refuses storage", async () => {
    const context = await browser.newContext();
    // What a browser set to block site data does: touching sessionStorage or localStorage throws.
    await context.addInitScript(() => {
      for (const name of ["sessionStorage", "localStorage"]) {
        Object.defineProperty(window, name, {
          get() {
            throw new DOMException("The operation is insecure.", "SecurityError");
          },
        });
      }
    });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await page.goto(url(`/preview/products/${ANCHOR}`), { waitUntil: "domcontentloaded" });
    await themeCartWrite(page, "add", { items: [{ id: Number(anchor.variantId), quantity: 1 }] });
    await page.reload({ waitUntil: "domcontentloaded" });
    const bar = page.getByRole("region", { name: "Cart savings" });
    await bar.waitFor({ timeout: 30_000 });
    await expect.poll(() => bar.locator("[data-message]").innerText()).toMatch(/^Add /);
    await bar.locator("[data-dismiss]").click();
    await expect.poll(() => bar.isVisible()).toBe(false);
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);

  it("keeps the page and its add to cart working when the app proxy fails or hangs", async () => {
    for (const failure of ["error", "hang"] as const) {
      const context = await browser.newContext();
      await context.route("**/apps/upshelf/**", (route) => (failure === "error" ? route.fulfill({ status: 500, body: "{}" }) : undefined));
      const page = await context.newPage();
      await page.goto(url(`/preview/products/${ANCHOR}`), { waitUntil: "domcontentloaded" });
      // Past the widget's 4 s patience, it is still hidden.
      await page.waitForTimeout(5_000);
      expect(await page.locator(".upshelf-fbt").isVisible()).toBe(false);
      expect(await page.locator(".upshelf-fbt.is-ready").count()).toBe(0);
      await page.getByRole("button", { name: "Add to cart", exact: true }).click();
      await page.waitForURL(url("/preview/cart"));
      expect(await page.locator("#cart-items").innerText()).toContain("Regency Cakestand 3 Tier");
      await context.close();
    }
  }, 60_000);

  it("leaves the quantity-breaks box out of a product page without tiers, and shows it once an offer covers the product", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const blocks = async () => {
      await page.goto(url(`/preview/products/${ANCHOR}`), { waitUntil: "domcontentloaded" });
      return { quantityBreaks: await page.locator(".upshelf-qb").count(), upgrade: await page.locator(".upshelf-upgrade").count() };
    };
    expect(await blocks()).toEqual({ quantityBreaks: 0, upgrade: 0 });
    const breaks = await cakestandBreaks();
    try {
      expect(await blocks()).toEqual({ quantityBreaks: 1, upgrade: 0 });
    } finally {
      await deleteOffer(DEMO_SHOP_DOMAIN, breaks);
      await context.close();
    }
  }, 60_000);

  it("states the product's buy X get Y and mix-and-match deals in the buyer's language, in rows reserved before they arrive", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const goto = (query = "") => page.goto(url(`/preview/products/${ANCHOR}${query}`), { waitUntil: "domcontentloaded" });
    await goto();
    expect(await page.locator(".upshelf-deals").count()).toBe(0);
    const dearer = await dearerVariant();
    const cakestand = `gid://shopify/Product/${anchor.productId}`;
    const free = await createTestOffer(DEMO_SHOP_DOMAIN, {
      type: "buyXGetY",
      title: "Third cakestand on us",
      status: "active",
      buy: { items: { productIds: [cakestand] }, quantity: 2 },
      get: { items: { productIds: [cakestand] }, quantity: 1, percent: 100 },
      maxUsesPerOrder: 1,
    });
    const set = await createTestOffer(DEMO_SHOP_DOMAIN, {
      type: "mixAndMatch",
      title: "Party pieces",
      status: "active",
      eligible: { productIds: [cakestand, `gid://shopify/Product/${dearer.product.shopifyId}`] },
      setSize: 3,
      pricing: { kind: "percentage", percent: 12.5 },
    });
    // Bought here, given elsewhere: the terms name what is given.
    const half = await createTestOffer(DEMO_SHOP_DOMAIN, {
      type: "buyXGetY",
      title: "Stand and more",
      status: "active",
      buy: { items: { productIds: [cakestand] }, quantity: 1 },
      get: { items: { productIds: [`gid://shopify/Product/${dearer.product.shopifyId}`] }, quantity: 1, percent: 50 },
    });
    try {
      let answer: () => void = () => {};
      const held = new Promise<void>((resolve) => (answer = resolve));
      await page.route("**/apps/upshelf/offers*", async (route) => {
        await held;
        await route.fallback();
      });
      await goto();
      const box = page.locator(".upshelf-deals");
      await page.locator(".upshelf-fbt.is-ready").waitFor({ timeout: 30_000 });
      const reserved = (await box.boundingBox())?.height;
      answer();
      await page.locator(".upshelf-deals.is-ready").waitFor({ timeout: 30_000 });
      const rows = () => page.locator(".upshelf-deals li").evaluateAll((items) => items.map((item) => [item.querySelector("b")?.textContent, item.lastChild?.textContent]));
      // Three deals, so the storefront index had three rows reserved: drawing them moved nothing.
      expect((await box.boundingBox())?.height).toBe(reserved);
      expect((await rows()).sort()).toEqual([
        ["Any 3: 12.5% off", "Party pieces"],
        [`Buy 1, get 1 at 50% off: ${dearer.product.title}`, "Stand and more"],
        ["Buy 2, get 1 free (limit 1 per order)", "Third cakestand on us"],
      ]);
      await page.unroute("**/apps/upshelf/offers*");
      await goto("?locale=fr");
      await page.locator(".upshelf-deals.is-ready").waitFor({ timeout: 30_000 });
      expect((await rows()).map(([terms]) => terms).sort()).toEqual([
        "3 au choix : -12,5 %",
        `Achetez-en 1, 1 à -50 % : ${dearer.product.title}`,
        "Achetez-en 2, 1 en cadeau (limite : 1 par commande)",
      ]);
      // On a phone the terms wrap, conditions included, rather than lose their end.
      await page.setViewportSize({ width: 320, height: 900 });
      const cut = await page.locator(".upshelf-deals li b").evaluateAll((terms) => terms.filter((node) => node.scrollWidth > node.clientWidth + 1 || node.scrollHeight > node.clientHeight + 1).length);
      expect(cut).toBe(0);
    } finally {
      await deleteOffer(DEMO_SHOP_DOMAIN, free);
      await deleteOffer(DEMO_SHOP_DOMAIN, set);
      await deleteOffer(DEMO_SHOP_DOMAIN, half);
      await context.close();
    }
  }, 60_000);

  it("shows the buyer's progress towards a mix-and-match set and a buy X get Y in the cart savings bar", async () => {
    const dearer = await dearerVariant();
    let free: string | undefined;
    const set = await createTestOffer(DEMO_SHOP_DOMAIN, {
      type: "mixAndMatch",
      title: "Party set",
      status: "active",
      // Ahead of the shop's spend tiers, so the bar shows this one.
      priority: 50,
      eligible: { productIds: [`gid://shopify/Product/${anchor.productId}`, `gid://shopify/Product/${dearer.product.shopifyId}`] },
      setSize: 3,
      pricing: { kind: "percentage", percent: 12.5 },
    });
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(url(`/preview/products/${ANCHOR}`), { waitUntil: "domcontentloaded" });
      await themeCartWrite(page, "add", { items: [{ id: Number(anchor.variantId), quantity: 1 }] });
      const bar = page.getByRole("region", { name: "Cart savings" });
      await expect.poll(() => bar.locator("[data-message]").innerText(), { timeout: 20_000 }).toBe("Party set: add 2 more to get 12.5% off");
      // The set reached, the bar moves on to the next saving still to reach (the shop's spend tier).
      await themeCartWrite(page, "change", { line: 1, quantity: 3 });
      await expect.poll(() => bar.locator("[data-message]").innerText(), { timeout: 20_000 }).toMatch(/^Add £[\d.,]+ more to get /);
      // Buy X get Y on the cakestand alone (the set gone, which would keep the three for itself):
      // its reward is worded in French too.
      await deleteOffer(DEMO_SHOP_DOMAIN, set);
      free = await createTestOffer(DEMO_SHOP_DOMAIN, {
        type: "buyXGetY",
        title: "Quatrième offert",
        status: "active",
        priority: 60,
        buy: { items: { productIds: [`gid://shopify/Product/${anchor.productId}`] }, quantity: 3 },
        get: { items: { productIds: [`gid://shopify/Product/${anchor.productId}`] }, quantity: 1, percent: 100 },
      });
      await page.goto(url(`/preview/products/${ANCHOR}?locale=fr`), { waitUntil: "domcontentloaded" });
      // Three cakestands in the cart: one more gets the fourth free.
      await expect.poll(() => page.locator(".upshelf-progress [data-message]").innerText(), { timeout: 20_000 }).toBe("Quatrième offert : ajoutez-en 1 pour obtenir 1 en cadeau");
    } finally {
      if (free) await deleteOffer(DEMO_SHOP_DOMAIN, free);
      await deleteOffer(DEMO_SHOP_DOMAIN, set);
      await context.close();
    }
  }, 60_000);

  it("prices the quantity breaks for the variant the buyer picks, and again when they pick another", async () => {
    const large = await largeCakestand("9199999001");
    const breaks = await cakestandBreaks();
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(url(`/preview/products/${ANCHOR}`), { waitUntil: "domcontentloaded" });
      const row = page.locator(".upshelf-qb.is-ready [data-rows] tr").first();
      // The price less £1.00 each, as the server prices it.
      await expect.poll(() => row.innerText(), { timeout: 30_000 }).toContain(gbp(anchor.price - 100));
      const asked = page.waitForRequest((request) => request.url().includes(`/apps/upshelf/offers?product_id=${anchor.productId}&variant_id=${large.shopifyId}`));
      await page.getByLabel("Variant").selectOption(large.shopifyId);
      await asked;
      await expect.poll(() => row.innerText(), { timeout: 10_000 }).toContain(gbp(anchor.price + 1000 - 100));
    } finally {
      await deleteOffer(DEMO_SHOP_DOMAIN, breaks);
      await db.variant.delete({ where: { id: large.id } });
      await context.close();
    }
  }, 60_000);

  it("states a percentage tier as its percentage when no price each holds at every quantity (15% of £10.95 is 164.25p)", async () => {
    const breaks = await cakestandBreaks([
      { minQuantity: 2, value: { kind: "percentage", percent: 15 } },
      { minQuantity: 4, value: { kind: "percentage", percent: 20 } },
    ]);
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(url(`/preview/products/${ANCHOR}`), { waitUntil: "domcontentloaded" });
      const box = page.locator(".upshelf-qb.is-ready");
      await box.waitFor({ timeout: 30_000 });
      // Two cost £18.61 (£9.31 each, rounded up) but three £27.92, not 3 × £9.31: the rows state the percentages checkout takes.
      expect(await box.locator("[data-rows] tr").allInnerTexts()).toEqual(["2 or more\t15% off", "4 or more\t20% off"]);
      expect(await box.locator("[data-rows] td").count()).toBe(2);
      // The column is headed "Discount", and the saving each column is not shown.
      expect((await box.locator("thead").innerText()).trim()).toBe("Quantity\tDiscount");
    } finally {
      await deleteOffer(DEMO_SHOP_DOMAIN, breaks);
      await context.close();
    }
  }, 60_000);

  it("states the upgrade's difference from the variant the buyer picks, and again when they pick another", async () => {
    const large = await largeCakestand("9199999006");
    const ladder = await cakestandUpgrade();
    const dearer = await dearerVariant();
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(url(`/preview/products/${ANCHOR}`), { waitUntil: "domcontentloaded" });
      const message = page.locator(".upshelf-upgrade.is-ready [data-message]");
      const stated = (from: number) => {
        const difference = dearer.priceAmount - from;
        return difference > 0 ? `For ${gbp(difference)} more` : difference < 0 ? `For ${gbp(-difference)} less` : "At no extra cost";
      };
      await expect.poll(() => message.innerText().catch(() => ""), { timeout: 30_000 }).toContain(stated(anchor.price));
      // The large cakestand is £10.00 dearer: the step up from it is £10.00 less than from the regular one.
      await page.getByLabel("Variant").selectOption(large.shopifyId);
      await expect.poll(() => message.innerText().catch(() => ""), { timeout: 10_000 }).toContain(stated(anchor.price + 1000));
      await page.getByLabel("Variant").selectOption(anchor.variantId);
      await expect.poll(() => message.innerText().catch(() => ""), { timeout: 10_000 }).toContain(stated(anchor.price));
    } finally {
      await deleteOffer(DEMO_SHOP_DOMAIN, ladder);
      await db.variant.delete({ where: { id: large.id } });
      await context.close();
    }
  }, 60_000);

  it("shows quantity breaks and an upgrade only when the shop shows the prices the app priced them from", async () => {
    const breaks = await cakestandBreaks();
    const dearer = await dearerVariant();
    const ladder = await createOffer(DEMO_SHOP_DOMAIN, {
      type: "upgradeLadder",
      title: "Cakestand upgrade",
      status: "active",
      steps: [{ ref: { productId: `gid://shopify/Product/${anchor.productId}` } }, { ref: { productId: `gid://shopify/Product/${dearer.product.shopifyId}` } }],
    });
    if (!ladder.ok) throw new Error("could not create the ladder");
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(url(`/preview/products/${ANCHOR}`), { waitUntil: "domcontentloaded" });
      await page.locator(".upshelf-qb.is-ready").waitFor({ timeout: 30_000 });
      await page.locator(".upshelf-upgrade.is-ready").waitFor({ timeout: 30_000 });
      // Screen readers hear which upgrade the button adds, and for how much: the message describes it.
      const describedBy = (selector: string) =>
        page.locator(selector).evaluate((node) => document.getElementById(node.getAttribute("aria-describedby") ?? "")?.textContent ?? "");
      const upgradeMessage = await page.locator(".upshelf-upgrade [data-message]").innerText();
      expect(upgradeMessage).not.toBe("");
      expect(await describedBy("[data-add-upgrade]")).toBe(upgradeMessage);
      expect(await describedBy(".upshelf-upgrade [data-view]")).toBe(upgradeMessage);

      // The shop now shows the cakestand 1.00 dearer than the app's copy of the catalog (a price
      // changed since the last sync, a market's adjustment): a saving or difference would be wrong.
      await page.route(`**/preview/products/${ANCHOR}.js`, async (route) => {
        const shown = (await (await route.fetch()).json()) as { variants: { price: number }[] };
        for (const variant of shown.variants) variant.price += 100;
        await route.fulfill({ json: shown });
      });
      await page.reload({ waitUntil: "domcontentloaded" });
      await page.locator(".upshelf-fbt.is-ready").waitFor({ timeout: 30_000 });
      await page.waitForTimeout(1_000);
      expect(await page.locator(".upshelf-qb.is-ready, .upshelf-upgrade.is-ready").count()).toBe(0);
      expect(await page.locator(".upshelf-qb [data-rows] tr").count()).toBe(0);
    } finally {
      await deleteOffer(DEMO_SHOP_DOMAIN, breaks);
      await deleteOffer(DEMO_SHOP_DOMAIN, ladder.offer.id);
      await context.close();
    }
  }, 60_000);

  it("leaves out quantity breaks that a bigger discount in the buyer's cart would beat at checkout", async () => {
    const breaks = await cakestandBreaks();
    const dearer = await dearerVariant();
    // Half price on another product, combining with nothing: four of them save more than 10% off two cakestands.
    const exclusive = await createTestOffer(DEMO_SHOP_DOMAIN, {
      type: "quantityBreaks",
      title: "Half price, alone",
      status: "active",
      priority: 20,
      eligible: { productIds: [`gid://shopify/Product/${dearer.product.shopifyId}`] },
      tiers: [{ minQuantity: 1, value: { kind: "percentage", percent: 50 } }],
    });
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(url(`/preview/products/${ANCHOR}`), { waitUntil: "domcontentloaded" });
      await page.locator(".upshelf-qb.is-ready").waitFor({ timeout: 30_000 });
      // Added in the theme's own cart while the page is open: the table follows the cart.
      const repriced = page.waitForResponse((response) => response.url().includes(`/apps/upshelf/offers?product_id=${anchor.productId}`) && response.url().includes(`cart=${dearer.shopifyId}:4`));
      await themeCartWrite(page, "add", { items: [{ id: Number(dearer.shopifyId), quantity: 4 }] });
      expect((await (await repriced).json()).offers.map((offer: { id: string }) => offer.id)).not.toContain(breaks);
      await expect.poll(() => page.locator(".upshelf-qb.is-ready").count(), { timeout: 10_000 }).toBe(0);
      const asked = page.waitForResponse((response) => response.url().includes(`/apps/upshelf/offers?product_id=${anchor.productId}`) && response.url().includes(`cart=${dearer.shopifyId}:4`));
      await page.reload({ waitUntil: "domcontentloaded" });
      expect((await (await asked).json()).offers.map((offer: { id: string }) => offer.id)).not.toContain(breaks);
      await page.locator(".upshelf-fbt.is-ready").waitFor({ timeout: 30_000 });
      await page.waitForTimeout(1_000);
      expect(await page.locator(".upshelf-qb.is-ready").count()).toBe(0);
    } finally {
      await deleteOffer(DEMO_SHOP_DOMAIN, breaks);
      await deleteOffer(DEMO_SHOP_DOMAIN, exclusive);
      await context.close();
    }
  }, 60_000);

  it("empties the quantity-breaks box in place when the buyer picks a variant no tier covers: nothing below it moves", async () => {
    const large = await largeCakestand("9199999002");
    const created = await createTestOffer(DEMO_SHOP_DOMAIN, {
      type: "quantityBreaks",
      title: "Cakestand multibuy, regular size only",
      status: "active",
      eligible: { variantIds: [`gid://shopify/ProductVariant/${anchor.variantId}`] },
      tiers: [{ minQuantity: 2, value: { kind: "percentage", percent: 10 } }],
    });
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(url(`/preview/products/${ANCHOR}`), { waitUntil: "domcontentloaded" });
      const box = page.locator(".upshelf-qb");
      await page.locator(".upshelf-qb.is-ready").waitFor({ timeout: 30_000 });
      const before = await box.boundingBox();
      const asked = page.waitForResponse((r) => r.url().includes(`variant_id=${large.shopifyId}`));
      await page.getByLabel("Variant").selectOption(large.shopifyId);
      await asked;
      await expect.poll(() => box.getAttribute("class"), { timeout: 10_000 }).not.toContain("is-ready");
      expect(await box.getAttribute("hidden")).toBeNull();
      expect((await box.boundingBox())?.height).toBe(before?.height);
    } finally {
      await deleteOffer(DEMO_SHOP_DOMAIN, created);
      await db.variant.delete({ where: { id: large.id } });
      await context.close();
    }
  }, 60_000);

  it("reserves the final height of an upgrade and of a four-tier table before their data arrives, wide and narrow", async () => {
    const tiers = [2, 3, 4, 6].map((minQuantity, index) => ({ minQuantity, value: { kind: "percentage", percent: 5 * (index + 1) } }));
    const breaks = await createTestOffer(DEMO_SHOP_DOMAIN, {
      type: "quantityBreaks",
      title: "Cakestand multibuy, four tiers",
      status: "active",
      eligible: { productIds: [`gid://shopify/Product/${anchor.productId}`] },
      tiers,
    });
    const dearer = await dearerVariant();
    const ladder = await createTestOffer(DEMO_SHOP_DOMAIN, {
      type: "upgradeLadder",
      title: "Cakestand upgrade, with a long label",
      status: "active",
      steps: [{ ref: { productId: `gid://shopify/Product/${anchor.productId}` } }, { ref: { productId: `gid://shopify/Product/${dearer.product.shopifyId}` }, label: "The deluxe edition with every extra a buyer could want" }],
      incentive: { kind: "percentage", percent: 5 },
    });
    try {
      for (const width of [1280, 360, 320]) {
        const context = await browser.newContext({ viewport: { width, height: 1400 } });
        try {
          const page = await context.newPage();
          let answer: () => void = () => {};
          const held = new Promise<void>((resolve) => (answer = resolve));
          await page.route("**/apps/upshelf/offers*", async (route) => {
            await held;
            await route.fallback();
          });
          await page.goto(url(`/preview/products/${ANCHOR}`), { waitUntil: "domcontentloaded" });
          await page.locator(".upshelf-fbt.is-ready").waitFor({ timeout: 30_000 });
          const heights = () => page.evaluate(() => [".upshelf-upgrade", ".upshelf-qb"].map((selector) => document.querySelector(selector)?.getBoundingClientRect().height));
          const reserved = await heights();
          answer();
          await page.locator(".upshelf-qb.is-ready").waitFor({ timeout: 30_000 });
          await page.locator(".upshelf-upgrade.is-ready").waitFor({ timeout: 30_000 });
          expect(await page.locator(".upshelf-qb [data-rows] tr").count()).toBe(4);
          expect(await heights(), `at ${width} px`).toEqual(reserved);
          // The long label may be cut, never the price difference: the message leads with it.
          const message = page.locator(".upshelf-upgrade [data-message]");
          const difference = /^For (£[\d.,]+) more: /.exec(await message.innerText())?.[1];
          expect(difference, `at ${width} px`).toBeDefined();
          const shown = await message.evaluate((element, text) => {
            const node = element.firstChild as Text;
            const range = document.createRange();
            const start = node.data.indexOf(text);
            range.setStart(node, start);
            range.setEnd(node, start + text.length);
            const box = element.getBoundingClientRect();
            return [...range.getClientRects()].every((rect) => rect.right <= box.right + 0.5 && rect.bottom <= box.bottom + 0.5);
          }, difference ?? "");
          expect(shown, `the difference is visible at ${width} px`).toBe(true);
        } finally {
          await context.close();
        }
      }
    } finally {
      await deleteOffer(DEMO_SHOP_DOMAIN, breaks);
      await deleteOffer(DEMO_SHOP_DOMAIN, ladder);
    }
  }, 90_000);

  it("keeps the amount of the upgrade's incentive in view on a 320 px phone, in English and French", async () => {
    const dearer = await dearerVariant();
    const ladder = await createTestOffer(DEMO_SHOP_DOMAIN, {
      type: "upgradeLadder",
      title: "Cakestand upgrade, £10.00 off",
      status: "active",
      steps: [{ ref: { productId: `gid://shopify/Product/${anchor.productId}` } }, { ref: { productId: `gid://shopify/Product/${dearer.product.shopifyId}` } }],
      incentive: { kind: "amountOffEach", amount: { amount: 1000, currency: "GBP" } },
    });
    const context = await browser.newContext({ viewport: { width: 320, height: 900 } });
    try {
      const page = await context.newPage();
      for (const [query, amount] of [
        ["", "£10.00"],
        ["?locale=fr", "10,00\u00a0£GB"],
      ]) {
        await page.goto(url(`/preview/products/${ANCHOR}${query}`), { waitUntil: "domcontentloaded" });
        const incentive = page.locator(".upshelf-upgrade.is-ready [data-incentive]");
        await incentive.waitFor({ timeout: 30_000 });
        // The line wraps rather than being cut, so the amount is always drawn inside it.
        const shown = await incentive.evaluate((element, text) => {
          const node = element.firstChild as Text;
          const start = node.data.replace(/\s/g, " ").indexOf(text.replace(/\s/g, " "));
          if (start < 0) return `no ${text} in "${node.data}"`;
          const range = document.createRange();
          range.setStart(node, start);
          range.setEnd(node, start + text.length);
          const box = element.getBoundingClientRect();
          return [...range.getClientRects()].every((rect) => rect.right <= box.right - 16) || `"${node.data}" is cut`;
        }, amount);
        expect(shown, query || "English").toBe(true);
      }
    } finally {
      await deleteOffer(DEMO_SHOP_DOMAIN, ladder);
      await context.close();
    }
  }, 60_000);

  it("states the upgrade's saving whole on a 360 px phone: it wraps, never cut with an ellipsis", async () => {
    const dearer = await dearerVariant();
    const ladder = await createTestOffer(DEMO_SHOP_DOMAIN, {
      type: "upgradeLadder",
      title: "Cakestand upgrade, a penny off",
      status: "active",
      steps: [{ ref: { productId: `gid://shopify/Product/${anchor.productId}` } }, { ref: { productId: `gid://shopify/Product/${dearer.product.shopifyId}` } }],
      incentive: { kind: "amountOffEach", amount: { amount: 1, currency: "GBP" } },
    });
    const context = await browser.newContext({ viewport: { width: 360, height: 900 } });
    try {
      const page = await context.newPage();
      await page.goto(url(`/preview/products/${ANCHOR}`), { waitUntil: "domcontentloaded" });
      const incentive = page.locator(".upshelf-upgrade.is-ready [data-incentive]");
      await incentive.waitFor({ timeout: 30_000 });
      expect(await incentive.innerText()).toBe("Save £0.01 on the upgrade");
      // Wholly visible: nothing of it overflows its box (which would be clipped), and every line of
      // its text lies inside that box, itself inside the page's width.
      const fit = await incentive.evaluate((element) => {
        const box = element.getBoundingClientRect();
        const range = document.createRange();
        range.selectNodeContents(element);
        const inside = [...range.getClientRects()].every((rect) => rect.left >= box.left - 0.5 && rect.right <= box.right + 0.5 && rect.bottom <= box.bottom + 0.5);
        return {
          overflowing: element.scrollWidth > element.clientWidth || element.scrollHeight > element.clientHeight,
          inside,
          inPage: box.right <= document.documentElement.clientWidth,
        };
      });
      expect(fit).toEqual({ overflowing: false, inside: true, inPage: true });
    } finally {
      await deleteOffer(DEMO_SHOP_DOMAIN, ladder);
      await context.close();
    }
  }, 60_000);

  it("draws the quantity breaks of the variant the buyer picked last, whatever order the answers come in", async () => {
    // Regular and Large have tiers; Extra large has none. Answers for earlier picks come in late.
    const large = await largeCakestand("9199999003");
    const product = await db.product.findFirstOrThrow({ where: { shopId: DEMO_SHOP_DOMAIN, shopifyId: anchor.productId } });
    const extraLarge = await db.variant.create({
      data: { shopId: DEMO_SHOP_DOMAIN, productId: product.id, shopifyId: "9199999004", title: "Extra large", priceAmount: anchor.price + 2000, currency: "GBP", inventoryQuantity: 5 },
    });
    const created = await createTestOffer(DEMO_SHOP_DOMAIN, {
      type: "quantityBreaks",
      title: "Cakestand multibuy, regular and large",
      status: "active",
      eligible: { variantIds: [anchor.variantId, large.shopifyId].map((id) => `gid://shopify/ProductVariant/${id}`) },
      // An amount off each: the rows state a price each, which tells the two sizes apart.
      tiers: [{ minQuantity: 2, value: { kind: "amountOffEach", amount: { amount: 100, currency: "GBP" } } }],
    });
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      const held = new Map<string, () => void>();
      const hold = (variantId: string) => new Promise<void>((resolve) => held.set(variantId, resolve));
      const holds: Record<string, Promise<void>> = {};
      await page.route("**/apps/upshelf/offers?*", async (route) => {
        const variantId = new URL(route.request().url()).searchParams.get("variant_id") ?? "";
        if (holds[variantId]) await holds[variantId];
        await route.fallback();
      });
      await page.goto(url(`/preview/products/${ANCHOR}`), { waitUntil: "domcontentloaded" });
      const box = page.locator(".upshelf-qb");
      const row = box.locator("[data-rows] tr").first();
      await expect.poll(() => page.locator(".upshelf-qb.is-ready [data-rows] tr").first().innerText().catch(() => ""), { timeout: 30_000 }).toContain(gbp(anchor.price - 100));
      const answered = (variantId: string) => page.waitForResponse((r) => r.url().includes(`variant_id=${variantId}&`));

      // Extra large (no tiers) answers late, after the buyer went back to the regular size: the table stays.
      holds[extraLarge.shopifyId] = hold(extraLarge.shopifyId);
      const askedExtraLarge = page.waitForRequest((r) => r.url().includes(`variant_id=${extraLarge.shopifyId}&`));
      await page.getByLabel("Variant").selectOption(extraLarge.shopifyId);
      await askedExtraLarge;
      await page.getByLabel("Variant").selectOption(anchor.variantId);
      const extraLargeAnswered = answered(extraLarge.shopifyId);
      held.get(extraLarge.shopifyId)?.();
      await extraLargeAnswered;
      await page.waitForTimeout(500);
      expect(await box.getAttribute("class"), "the regular size's table is still shown").toContain("is-ready");
      expect(await row.innerText()).toContain(gbp(anchor.price - 100));

      // Large (tiers) answers late, after the buyer picked Extra large (none): no table, not the regular size's again.
      holds[large.shopifyId] = hold(large.shopifyId);
      const askedLarge = page.waitForRequest((r) => r.url().includes(`variant_id=${large.shopifyId}&`));
      await page.getByLabel("Variant").selectOption(large.shopifyId);
      await askedLarge;
      await page.getByLabel("Variant").selectOption(extraLarge.shopifyId);
      await expect.poll(() => box.getAttribute("class"), { timeout: 10_000 }).not.toContain("is-ready");
      const largeAnswered = answered(large.shopifyId);
      held.get(large.shopifyId)?.();
      await largeAnswered;
      await page.waitForTimeout(500);
      expect(await box.getAttribute("class"), "no tiers are shown for Extra large").not.toContain("is-ready");
    } finally {
      await deleteOffer(DEMO_SHOP_DOMAIN, created);
      await db.variant.delete({ where: { id: extraLarge.id } });
      await db.variant.delete({ where: { id: large.id } });
      await context.close();
    }
  }, 60_000);

  it("asks again for offers that failed once: a passing failure does not hide the quantity breaks for the rest of the visit", async () => {
    const large = await largeCakestand("9199999005");
    const breaks = await cakestandBreaks();
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      // The app's first answer for the regular size is an error; it answers normally after.
      let failures = 1;
      await page.route(`**/apps/upshelf/offers?*variant_id=${anchor.variantId}&*`, (route) =>
        failures-- > 0 ? route.fulfill({ status: 503, contentType: "application/json", body: "{}" }) : route.fallback(),
      );
      await page.goto(url(`/preview/products/${ANCHOR}`), { waitUntil: "domcontentloaded" });
      const box = page.locator(".upshelf-qb");
      await page.locator(".upshelf-fbt.is-ready").waitFor({ timeout: 30_000 });
      await page.waitForTimeout(500);
      expect(await box.getAttribute("class")).not.toContain("is-ready");
      // The buyer looks at the large size, then comes back to the regular one: it is asked for again.
      await page.getByLabel("Variant").selectOption(large.shopifyId);
      await page.locator(".upshelf-qb.is-ready").waitFor({ timeout: 10_000 });
      await page.getByLabel("Variant").selectOption(anchor.variantId);
      await expect.poll(() => page.locator(".upshelf-qb.is-ready [data-rows] tr").first().innerText().catch(() => ""), { timeout: 10_000 }).toContain(gbp(anchor.price - 100));
    } finally {
      await deleteOffer(DEMO_SHOP_DOMAIN, breaks);
      await db.variant.delete({ where: { id: large.id } });
      await context.close();
    }
  }, 60_000);

  it("keeps a title readable beside a compare-at price in 'frequently bought together' on a 320 px phone and at 200% zoom", async () => {
    // 640 px: a 1280 px screen at 200% zoom.
    for (const width of [320, 640]) {
      const context = await browser.newContext({ viewport: { width, height: 1400 } });
      try {
        const page = await context.newPage();
        await page.route(/\/preview\/products\/[^/?]+\.js(\?.*)?$/, async (route) => {
          const product = (await (await route.fetch()).json()) as { variants: { price: number; compare_at_price: number | null }[] };
          for (const variant of product.variants) variant.compare_at_price = variant.price + 100;
          await route.fulfill({ json: product });
        });
        await page.goto(url(`/preview/products/${ANCHOR}`), { waitUntil: "domcontentloaded" });
        const widget = page.locator(".upshelf-fbt");
        await page.locator(".upshelf-fbt.is-ready").waitFor({ timeout: 30_000 });
        const rows = await widget.locator(".upshelf__item:not(.upshelf__item--anchor)").evaluateAll((items) =>
          items.map((item) => {
            const box = (selector: string) => (item.querySelector(selector) as HTMLElement).getBoundingClientRect();
            return { row: item.getBoundingClientRect(), image: box(".upshelf__img"), title: box(".upshelf__title"), price: box(".upshelf__price"), compare: box("s") };
          }),
        );
        expect(rows.length).toBeGreaterThan(0);
        for (const { row, image, title, price, compare } of rows) {
          expect(compare.width, "the compare-at price is shown").toBeGreaterThan(0);
          expect(title.width, `at ${width} px, the title has at least 6rem`).toBeGreaterThanOrEqual(96);
          expect(price.top, "the price sits under the title").toBeGreaterThanOrEqual(title.bottom - 1);
          expect(price.left, "and beside the picture").toBeGreaterThanOrEqual(image.right);
          expect(price.right).toBeLessThanOrEqual(row.right + 0.5);
          expect(price.bottom, "nothing spills out of the row").toBeLessThanOrEqual(row.bottom + 0.5);
        }
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBe(width);
      } finally {
        await context.close();
      }
    }
  }, 60_000);

  it("reserves the final height of 'frequently bought together' before its data arrives, wide and narrow, in English and French, and on a phone keeps it when nothing is ticked", async () => {
    // French's longer button wraps sooner: the summary under the list is taller on a phone.
    for (const width of [1280, 480, 360, 320]) {
      for (const locale of ["en", "fr"]) {
        const context = await browser.newContext({ viewport: { width, height: 1400 } });
        try {
          const page = await context.newPage();
          let answer: () => void = () => {};
          const held = new Promise<void>((resolve) => (answer = resolve));
          await page.route("**/apps/upshelf/recommendations*", async (route) => {
            await held;
            await route.fallback();
          });
          await page.goto(url(`/preview/products/${ANCHOR}?locale=${locale}`), { waitUntil: "load" });
          const widget = page.locator(".upshelf-fbt");
          const reserved = (await widget.boundingBox())?.height;
          answer();
          await page.locator(".upshelf-fbt.is-ready").waitFor({ timeout: 30_000 });
          expect((await widget.boundingBox())?.height, `at ${width} px in ${locale}`).toBe(reserved);
          // On a phone, where the total sits over the button, "Select at least one item" in place
          // of the total (nothing ticked) moves nothing: its second line is reserved.
          if (width > 360) continue;
          const button = page.locator(".upshelf-fbt [data-add-selected]");
          const placed = await button.boundingBox();
          await page.locator(".upshelf-fbt [data-anchor]").uncheck();
          await expect.poll(() => page.locator(".upshelf-fbt [data-total]").innerText()).toMatch(/^S[ée]lect/);
          expect((await widget.boundingBox())?.height, `at ${width} px in ${locale}, nothing ticked`).toBe(reserved);
          expect(await button.boundingBox(), `at ${width} px in ${locale}, nothing ticked`).toEqual(placed);
        } finally {
          await context.close();
        }
      }
    }
  }, 90_000);

  it("leaves a 'frequently bought together' the theme re-rendered idle: one pricing request per change, not one per re-render", async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(url(`/preview/products/${ANCHOR}`), { waitUntil: "domcontentloaded" });
      await page.locator(".upshelf-fbt.is-ready").waitFor({ timeout: 30_000 });
      // As the theme editor does on each change of a setting: the section's fresh HTML replaces it, then shopify:section:load.
      const fresh = await (await fetch(url(`/preview/products/${ANCHOR}`))).text();
      for (let render = 0; render < 3; render++) {
        await page.evaluate((html) => {
          const section = document.createElement("div");
          section.append(document.adoptNode(new DOMParser().parseFromString(html, "text/html").querySelector(".upshelf-fbt") as Element));
          document.querySelector(".upshelf-fbt")?.replaceWith(section);
          section.dispatchEvent(new CustomEvent("shopify:section:load", { bubbles: true }));
        }, fresh);
        await page.locator(".upshelf-fbt.is-ready").waitFor({ timeout: 30_000 });
      }
      await page.waitForTimeout(500);
      const priced: string[] = [];
      page.on("request", (request) => request.url().includes("/apps/upshelf/cart/price") && priced.push(request.url()));
      // The buyer picks a variant (the empty cart is not priced: one request for the selection).
      await page.locator('[name="id"]').dispatchEvent("change");
      await page.waitForTimeout(1_500);
      expect(await page.locator(".upshelf-fbt").count()).toBe(1);
      expect(priced).toHaveLength(1);
    } finally {
      await context.close();
    }
  }, 60_000);

  it("keeps each checkbox of the grid layout on its own product's picture in a right-to-left language", async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      // The page as an Arabic storefront renders it, with the block set to the grid layout.
      await page.route(/\/preview\/products\/[^/.?]+(\?.*)?$/, async (route) => {
        const response = await route.fetch();
        const body = (await response.text()).replace(/<html lang="[^"]*"/, '<html lang="ar" dir="rtl"').replace("upshelf-fbt upshelf--list", "upshelf-fbt upshelf--grid");
        await route.fulfill({ response, body });
      });
      await page.goto(url(`/preview/products/${ANCHOR}`), { waitUntil: "domcontentloaded" });
      await page.locator(".upshelf-fbt.upshelf--grid.is-ready").waitFor({ timeout: 30_000 });
      const cards = await page.locator(".upshelf-fbt .upshelf__item").evaluateAll((items) =>
        items.map((item) => {
          const check = (item.querySelector(".upshelf__check") as HTMLElement).getBoundingClientRect();
          const image = (item.querySelector(".upshelf__img") as HTMLElement).getBoundingClientRect();
          return { check: [check.left, check.right], image: [image.left, image.right] };
        }),
      );
      expect(cards.length).toBeGreaterThan(1);
      for (const { check, image } of cards) {
        expect(check[0], "the checkbox is on its picture").toBeGreaterThanOrEqual(image[0] as number);
        expect(check[1]).toBeLessThanOrEqual(image[1] as number);
      }
    } finally {
      await context.close();
    }
  }, 60_000);

  it("counts minor units as checkout does in a currency the browser gives no decimals (HUF)", async () => {
    // Chromium's Intl data shows forints without fillér, while Shopify and the app count HUF in
    // hundredths (ISO 4217). The same page and offer, served as if the shop sold in forints.
    const breaks = await cakestandBreaks();
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      let tierPrice: number | undefined;
      await page.route(/\/preview\/products\/[^/.?]+(\?.*)?$/, async (route) => {
        const response = await route.fetch();
        await route.fulfill({ response, body: (await response.text()).replaceAll('data-currency="GBP"', 'data-currency="HUF"') });
      });
      await page.route(/\/apps\/upshelf\/offers\?/, async (route) => {
        const response = await route.fetch();
        const body = (await response.text()).replaceAll('"GBP"', '"HUF"');
        const offers = JSON.parse(body) as { offers: { tiers?: { unit_price: { amount: number } }[] }[] };
        tierPrice = offers.offers.find((offer) => offer.tiers?.length)?.tiers?.[0]?.unit_price.amount;
        await route.fulfill({ response, body });
      });
      await page.goto(url(`/preview/products/${ANCHOR}`), { waitUntil: "domcontentloaded" });
      await page.locator(".upshelf-qb.is-ready").waitFor({ timeout: 30_000 });
      if (tierPrice === undefined) throw new Error("the offers answer had no tier");
      const lang = await page.evaluate(() => document.documentElement.lang || "en");
      const forints = (minor: number) =>
        new Intl.NumberFormat(lang, { style: "currency", currency: "HUF", minimumFractionDigits: minor % 100 === 0 ? 0 : 2 }).format(minor / 100);
      const row = await page.locator(".upshelf-qb [data-rows] tr").first().innerText();
      expect(row).toContain(forints(tierPrice));
      // Shopify's Ajax price (hundredths) is the same number of fillér: the saving is their difference.
      if ((await page.locator(".upshelf-qb [data-rows] tr").first().locator("td").count()) > 1) {
        expect(row).toContain(forints(anchor.price - tierPrice));
      }
    } finally {
      await deleteOffer(DEMO_SHOP_DOMAIN, breaks);
      await context.close();
    }
  }, 60_000);

  it("serves the French storefront texts from the extension's locale file", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(url(`/preview/products/${ANCHOR}?locale=fr`));
    await page.locator(".upshelf-fbt.is-ready").waitFor({ timeout: 30_000 });
    expect(await page.getByRole("region", { name: "Souvent achetés ensemble" }).isVisible()).toBe(true);
    expect(await page.getByRole("button", { name: "Ajouter la sélection au panier" }).isVisible()).toBe(true);

    // The tier progress bar words the saving in French too (the API's labels are English).
    await themeCartWrite(page, "add", { id: Number(anchor.variantId), quantity: 1 });
    await page.goto(url("/preview/cart?locale=fr"), { waitUntil: "domcontentloaded" });
    const bar = page.getByRole("region", { name: "Économies sur le panier" });
    await bar.waitFor({ timeout: 30_000 });
    const remaining = new Intl.NumberFormat("fr", { style: "currency", currency: "GBP" }).format((10_000 - anchor.price) / 100);
    await expect.poll(() => bar.locator("[data-message]").innerText(), { timeout: 10_000 }).toBe(`Ajoutez ${remaining} pour obtenir 5 % de remise`);
    await context.close();
  }, 60_000);

  // Last in this file: while the demo shop runs a holdout test, its visitors are split.
  describe("during a holdout test", () => {
    let key: string;
    beforeAll(async () => {
      const result = await startExperiment(DEMO_SHOP_DOMAIN, 5000, new Date());
      if (!("started" in result)) throw new Error("a holdout test was already running on the demo shop");
      key = result.started.key;
    });
    afterAll(() => stopExperiment(DEMO_SHOP_DOMAIN, new Date()));

    /** The cart attribute writes (the holdout mark) among a page's requests. */
    const cartUpdates = (asked: readonly string[]) => asked.filter((request) => request.includes("/cart/update.js"));
    const countedGroup = (visitor: string) =>
      db.experimentVisitor.findFirst({ where: { shopId: DEMO_SHOP_DOMAIN, visitorKey: visitor } }).then((row) => row?.group ?? null);

    /** A product page in a fresh browser, for a visitor key chosen in advance (or the one the script makes). */
    async function visit(visitor?: string, options: { analyticsAllowed?: boolean } = {}) {
      const context = await browser.newContext();
      if (visitor) await context.addInitScript((key) => localStorage.setItem("upshelf-visitor", key), visitor);
      // The buyer's answer to the store's consent banner, as Shopify's Customer Privacy API gives it.
      if (options.analyticsAllowed === false) {
        await context.addInitScript(() => {
          (window as unknown as { Shopify: object }).Shopify = { customerPrivacy: { analyticsProcessingAllowed: () => false } };
        });
      }
      const page = await context.newPage();
      const asked: string[] = [];
      page.on("request", (request) => asked.push(request.url()));
      await page.goto(url(`/preview/products/${ANCHOR}`), { waitUntil: "domcontentloaded" });
      return { context, page, asked };
    }

    it("shows a held-out visitor no widget and asks for no recommendation; the visit is counted and the cart marked", async () => {
      const visitor = Array.from({ length: 50 }, (_, index) => `browser-holdout-${index}`).find((candidate) => groupFor(5000, key, candidate) === "holdout") as string;
      const { context, page, asked } = await visit(visitor);
      try {
        await expect.poll(() => countedGroup(visitor), { timeout: 15_000 }).toBe("holdout");
        await page.getByRole("button", { name: "Add to cart", exact: true }).click();
        await page.waitForURL(url("/preview/cart"));
        await expect.poll(async () => (await cartOf(page)).attributes._upshelf_exp, { timeout: 15_000 }).toBe(`${key}:${visitor}`);
        expect(await page.locator(".upshelf.is-ready").count()).toBe(0);
        expect(asked.filter((request) => /\/apps\/upshelf\/(recommendations|offers|cart\/price)/.test(request))).toEqual([]);
      } finally {
        await context.close();
      }
    }, 60_000);

    it("leaves a visitor without analytics consent out of the test: widgets as usual, no key kept, no visit counted, no cart mark", async () => {
      const visitor = Array.from({ length: 50 }, (_, index) => `browser-no-consent-${index}`).find((candidate) => groupFor(5000, key, candidate) === "holdout") as string;
      const { context, page, asked } = await visit(visitor, { analyticsAllowed: false });
      try {
        // The key this browser kept from an earlier visit would put it in the holdout; without consent it is dropped.
        await page.locator(".upshelf-fbt.is-ready").waitFor({ timeout: 30_000 });
        expect(await page.evaluate(() => localStorage.getItem("upshelf-visitor"))).toBeNull();
        await page.getByRole("button", { name: "Add to cart", exact: true }).click();
        await page.waitForURL(url("/preview/cart"));
        // The cart page's own upsell (the drawer's copy stays hidden there), then past the script's first mark try.
        await page.locator("#upshelf-cart_upsell.is-ready").waitFor({ timeout: 30_000 });
        await page.waitForTimeout(1_500);
        expect(cartUpdates(asked)).toEqual([]);
        expect((await cartOf(page)).attributes._upshelf_exp).toBeUndefined();
        expect(await countedGroup(visitor)).toBeNull();
      } finally {
        await context.close();
      }
    }, 60_000);

    it("stops asking when the cart refuses its mark, instead of retrying on every cart change it causes", async () => {
      const visitor = Array.from({ length: 50 }, (_, index) => `browser-refused-${index}`).find((candidate) => groupFor(5000, key, candidate) === "shown") as string;
      const { context, page, asked } = await visit(visitor);
      try {
        // The store rate-limits attribute updates.
        await page.route("**/cart/update.js*", (route) => route.fulfill({ status: 429, contentType: "application/json", body: "{}" }));
        await page.getByRole("button", { name: "Add to cart", exact: true }).click();
        await page.waitForURL(url("/preview/cart"));
        const marks = () => cartUpdates(asked).length;
        await expect.poll(marks, { timeout: 15_000 }).toBeGreaterThan(0);
        // Refusals used to count as cart changes, each one starting the next try about every 200 ms.
        await page.waitForTimeout(3_000);
        expect(marks()).toBeLessThanOrEqual(3);
      } finally {
        await context.close();
      }
    }, 60_000);

    it("gives a new visitor a lasting key and the group it hashes to; a visitor who sees Upshelf gets the widgets as usual", async () => {
      const { context, page } = await visit();
      try {
        const visitor = await page.evaluate(() => localStorage.getItem("upshelf-visitor"));
        expect(visitor).toMatch(/^[0-9a-f-]{36}$/);
        await expect.poll(() => countedGroup(visitor as string), { timeout: 15_000 }).toBe(groupFor(5000, key, visitor as string));
        // Reloading keeps the key and counts the visitor once.
        await page.reload({ waitUntil: "domcontentloaded" });
        expect(await page.evaluate(() => localStorage.getItem("upshelf-visitor"))).toBe(visitor);
        expect(await db.experimentVisitor.count({ where: { shopId: DEMO_SHOP_DOMAIN, visitorKey: visitor as string } })).toBe(1);
      } finally {
        await context.close();
      }
      const shownVisitor = Array.from({ length: 50 }, (_, index) => `browser-shown-${index}`).find((candidate) => groupFor(5000, key, candidate) === "shown") as string;
      const shown = await visit(shownVisitor);
      try {
        await shown.page.locator(".upshelf-fbt.is-ready").waitFor({ timeout: 30_000 });
        await expect.poll(() => countedGroup(shownVisitor), { timeout: 15_000 }).toBe("shown");
      } finally {
        await shown.context.close();
      }
    }, 90_000);
  });
});
