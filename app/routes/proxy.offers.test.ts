import { describe, expect, it } from "vitest";
import { databaseProvider, databaseUrl } from "~/db-adapter.server";
import db from "~/db.server";
import { setOfferStatus } from "~/models/offer.server";
import { createTestProduct } from "../../tests/factories/catalog";
import { createTestOffer } from "../../tests/factories/offers";
import { createTestShop } from "../../tests/factories/shop";
import { appProxyRequest, responseOf } from "../../tests/support/app-proxy";
import { createOfferTestShop } from "../../tests/support/offer-test-shop";
import { loader } from "./proxy.offers";

async function get(shop: string, query: Record<string, string>, options: { secret?: string } = {}) {
  const request = appProxyRequest("/offers", { shop, query, secret: options.secret });
  return responseOf(() => loader({ request, params: {}, context: {} }));
}

const gbp = (amount: number, formatted: string) => ({ amount, currency: "GBP", formatted });
type OfferJson = { id: string; type: string } & Record<string, unknown>;

/** Tea at half price from one, combining with nothing: a bigger discount than the shop's other offers. */
async function teaHalfPrice(shopId: string, teaShopifyId: string) {
  await createTestOffer(shopId, {
    type: "quantityBreaks",
    title: "Tea half price",
    status: "active",
    priority: 20,
    combinesWith: { productDiscounts: false, orderDiscounts: false, shippingDiscounts: false },
    eligible: { productIds: [`gid://shopify/Product/${teaShopifyId}`] },
    tiers: [{ minQuantity: 1, value: { kind: "percentage", percent: 50 } }],
  });
}

describe("GET /apps/upshelf/offers", () => {
  it("describes quantity breaks per tier with the unit price at each tier, and the shop's spend tiers", async () => {
    const { shop, products, offerIds } = await createOfferTestShop();
    const response = await get(shop.id, { product_id: products.mug.shopifyId });
    expect(response.status).toBe(200);
    expect(response.headers.get("Cache-Control")).toBe("no-store");
    const body = await response.json();
    expect(body.product_id).toBe(products.mug.shopifyId);
    expect(body.currency).toBe("GBP");
    expect(body.offers.map((offer: OfferJson) => offer.id).sort()).toEqual([offerIds.mugBreaks, offerIds.spend].sort());
    const breaks = body.offers.find((offer: OfferJson) => offer.id === offerIds.mugBreaks);
    // 2 × 8.00 less 10% = 14.40, 7.20 each; 3 × 8.00 less 15% = 20.40, 6.80 each: 10% and 15% of
    // 8.00 are whole pence (0.80, 1.20), so these prices each hold at every quantity.
    expect(breaks).toEqual({
      id: offerIds.mugBreaks,
      type: "quantityBreaks",
      title: "Mug multibuy",
      message: "Buy 2, save 10% · Buy 3, save 15%",
      tiers: [
        { min_quantity: 2, label: "2+", saving_label: "Save 10%", unit_price: gbp(720, "£7.20"), percent: null },
        { min_quantity: 3, label: "3+", saving_label: "Save 15%", unit_price: gbp(680, "£6.80"), percent: null },
      ],
      base_unit_price: gbp(800, "£8.00"),
    });
    const spend = body.offers.find((offer: OfferJson) => offer.id === offerIds.spend);
    expect(spend).toEqual({
      id: offerIds.spend,
      type: "spendTiers",
      title: "Spend and save",
      message: "Spend £30.00, get 10% off · Spend £50.00, get 15% off",
      spend_tiers: [
        { min_subtotal: gbp(3000, "£30.00"), saving_label: "10% off" },
        { min_subtotal: gbp(5000, "£50.00"), saving_label: "15% off" },
      ],
    });
  });

  it("prices quantity breaks for the variant the buyer selected, and only a variant of this product", async () => {
    const { shop, products, offerIds } = await createOfferTestShop();
    const mug = await db.product.findUniqueOrThrow({ where: { shopId_shopifyId: { shopId: shop.id, shopifyId: products.mug.shopifyId } } });
    // A large mug at 10.00 beside the 8.00 one.
    await db.variant.create({ data: { shopId: shop.id, productId: mug.id, shopifyId: "77001", priceAmount: 1000, currency: "GBP", inventoryQuantity: 5 } });
    await db.variant.create({ data: { shopId: shop.id, productId: mug.id, shopifyId: "77002", priceAmount: 1004, currency: "GBP", inventoryQuantity: 5 } });
    const breaksFor = async (query: Record<string, string>) => {
      const body = await (await get(shop.id, { product_id: products.mug.shopifyId, ...query })).json();
      return body.offers.find((offer: OfferJson) => offer.id === offerIds.mugBreaks);
    };
    const tiersFor = async (query: Record<string, string>) =>
      (await breaksFor(query)).tiers.map((tier: { unit_price: { amount: number } | null; percent: number | null }) => tier.unit_price?.amount ?? `${tier.percent}%`);
    // 2 × 10.00 less 10% = 18.00, 9.00 each; 3 × 10.00 less 15% = 25.50, 8.50 each.
    expect(await tiersFor({ variant_id: "77001" })).toEqual([900, 850]);
    expect((await breaksFor({ variant_id: "77001" })).base_unit_price.amount).toBe(1000);
    // 10% of 10.04 is 1.004, no whole number of pence: no price each holds at every quantity (3 × 10.04
    // less 15% is 25.60, 8.5333 each; five less 10% are 45.18, not 5 × 9.04), so the tiers are stated
    // as their percentages, which checkout takes rounded once over the line.
    expect(await tiersFor({ variant_id: "77002" })).toEqual(["10%", "15%"]);
    expect(await tiersFor({})).toEqual([720, 680]);
    // Another product's variant does not price this product's tiers.
    expect(await tiersFor({ variant_id: products.tea.variantShopifyId })).toEqual([720, 680]);
    expect((await get(shop.id, { product_id: products.mug.shopifyId, variant_id: "large" })).status).toBe(400);
  });

  it("lists quantity breaks that cover only some variants for those variants alone", async () => {
    const { shop, products } = await createOfferTestShop();
    const mug = await db.product.findUniqueOrThrow({ where: { shopId_shopifyId: { shopId: shop.id, shopifyId: products.mug.shopifyId } } });
    await db.variant.create({ data: { shopId: shop.id, productId: mug.id, shopifyId: "77003", priceAmount: 1000, currency: "GBP", inventoryQuantity: 5 } });
    const created = await createTestOffer(shop.id, {
      type: "quantityBreaks",
      title: "Large mugs only",
      status: "active",
      eligible: { variantIds: ["gid://shopify/ProductVariant/77003"] },
      tiers: [{ minQuantity: 2, value: { kind: "percentage", percent: 20 } }],
    });
    const offerIdsFor = async (query: Record<string, string>) =>
      ((await (await get(shop.id, { product_id: products.mug.shopifyId, ...query })).json()).offers as OfferJson[]).map((offer) => offer.id);
    expect(await offerIdsFor({ variant_id: "77003" })).toContain(created);
    // The regular mug (the product's first variant, also the default) is not covered: no tiers priced for it.
    expect(await offerIdsFor({ variant_id: products.mug.variantShopifyId })).not.toContain(created);
    expect(await offerIdsFor({})).not.toContain(created);
  });

  it("shows every item of a bundle with the exact bundle price, and hides paused or scheduled-out offers", async () => {
    const { shop, products, offerIds } = await createOfferTestShop();
    const body = await (await get(shop.id, { product_id: products.tea.shopifyId })).json();
    const ids = body.offers.map((offer: OfferJson) => offer.id);
    expect(ids.sort()).toEqual([offerIds.bundle, offerIds.spend].sort());
    for (const hidden of [offerIds.pausedTea, offerIds.futureTea, offerIds.endedTea]) expect(ids).not.toContain(hidden);
    const bundle = body.offers.find((offer: OfferJson) => offer.id === offerIds.bundle);
    expect(bundle.message).toBe("Bundle for £14.00");
    expect(bundle.bundle).toEqual({
      items: [
        {
          product_id: products.tea.shopifyId,
          variant_id: products.tea.variantShopifyId,
          handle: expect.stringMatching(/^tea-/),
          title: "Tea",
          image: null,
          quantity: 1,
          unit_price: gbp(450, "£4.50"),
        },
        {
          product_id: products.candle.shopifyId,
          variant_id: products.candle.variantShopifyId,
          handle: expect.stringMatching(/^candle-/),
          title: "Candle",
          image: null,
          quantity: 1,
          unit_price: gbp(1200, "£12.00"),
        },
      ],
      total: gbp(1650, "£16.50"),
      price: gbp(1400, "£14.00"),
      saving: gbp(250, "£2.50"),
    });
  });

  it("offers the next step up a ladder with what it really costs after the incentive", async () => {
    const { shop, products, offerIds } = await createOfferTestShop();
    const body = await (await get(shop.id, { product_id: products.candle.shopifyId })).json();
    const ladder = body.offers.find((offer: OfferJson) => offer.id === offerIds.ladder);
    // Deluxe is 16.00 against 12.00, less the 2.00 incentive: 2.00 more.
    expect(ladder).toEqual({
      id: offerIds.ladder,
      type: "upgradeLadder",
      title: "Candle upgrade",
      message: "Upgrade to Deluxe for £2.00 more",
      upgrade: {
        product_id: products.deluxe.shopifyId,
        variant_id: products.deluxe.variantShopifyId,
        handle: expect.stringMatching(/^candle-deluxe-/),
        title: "Candle Deluxe",
        image: null,
        label: "Deluxe",
        price: gbp(1600, "£16.00"),
        difference: gbp(200, "£2.00"),
        incentive: gbp(200, "£2.00"),
        message: "Upgrade to Deluxe for £2.00 more",
        // The step upgraded from, as priced, for the widget to check against the shop's prices.
        from_variant_id: products.candle.variantShopifyId,
        from_price: gbp(1200, "£12.00"),
        swap: null,
      },
    });
    // The top step has nothing to upgrade to.
    const top = await (await get(shop.id, { product_id: products.deluxe.shopifyId })).json();
    expect(top.offers.map((offer: OfferJson) => offer.id)).toEqual([offerIds.spend]);
  });

  it("GIVEN the cart holds what the step makes a bundle with THEN the upgrade states what it costs with the bundle lost, and no saving the buyer does not get", async () => {
    const { shop, products, offerIds } = await createOfferTestShop();
    // Tea in the cart: a candle makes the tea-and-candle bundle (16.50 for 14.00). The deluxe
    // candle makes none: 4.50 + 16.00 less the ladder's 2.00 is 18.50, 4.50 more than 14.00,
    // against a 4.00 price difference. The ladder's 2.00 is real, but the buyer pays 0.50 more
    // than the difference: "save £2.00 on the upgrade" would not be true.
    const candle = await (await get(shop.id, { product_id: products.candle.shopifyId, cart: `${products.tea.variantShopifyId}:1` })).json();
    expect(candle.offers.find((offer: OfferJson) => offer.id === offerIds.ladder).upgrade).toMatchObject({
      difference: gbp(450, "£4.50"),
      incentive: null,
      message: "Upgrade to Deluxe for £4.50 more",
    });
  });

  it("GIVEN the upgrade already in the cart and no step to swap THEN it is not offered again; with the step there too, the swap still is", async () => {
    const { shop, products, offerIds } = await createOfferTestShop();
    const ladderWith = async (cart: string) =>
      ((await (await get(shop.id, { product_id: products.candle.shopifyId, cart })).json()).offers as OfferJson[]).find((offer) => offer.id === offerIds.ladder);
    // Added from this block a moment ago: one more tap would only add a second deluxe candle.
    expect(await ladderWith(`${products.deluxe.variantShopifyId}:1`)).toBeUndefined();
    expect(await ladderWith(`${products.tea.variantShopifyId}:1`)).toBeDefined();
    // The candle in the cart as well: swapping it is still an upgrade.
    expect((await ladderWith(`${products.deluxe.variantShopifyId}:1,${products.candle.variantShopifyId}:1`))?.upgrade).toMatchObject({ swap: 1 });
  });

  it("with the buyer's cart, promises no tier or incentive that a bigger discount in the cart would beat at checkout", async () => {
    const { shop, products, offerIds } = await createOfferTestShop();
    // Tea at half price, combining with nothing: four teas save 9.00 in the cart.
    await teaHalfPrice(shop.id, products.tea.shopifyId);
    const cart = `${products.tea.variantShopifyId}:4`;
    // Two mugs would save 1.60 and three 3.60 (with the spend tier, 4.84 and 7.44): less than 9.00, so checkout keeps the tea deal.
    const mug = await (await get(shop.id, { product_id: products.mug.shopifyId, cart })).json();
    expect(mug.offers.map((offer: OfferJson) => offer.id)).not.toContain(offerIds.mugBreaks);
    // The deluxe candle loses its 2.00 incentive the same way: 4.00 more, as checkout will charge.
    const candle = await (await get(shop.id, { product_id: products.candle.shopifyId, cart })).json();
    expect(candle.offers.find((offer: OfferJson) => offer.id === offerIds.ladder).upgrade).toMatchObject({ difference: gbp(400, "£4.00"), incentive: null });
    // One tea saves only 2.25: two mugs save 1.60 (the spend tier is not reached), three mugs 3.60: only the 3+ tier wins.
    const few = await (await get(shop.id, { product_id: products.mug.shopifyId, cart: `${products.tea.variantShopifyId}:1` })).json();
    expect(few.offers.find((offer: OfferJson) => offer.id === offerIds.mugBreaks).tiers.map((tier: { min_quantity: number }) => tier.min_quantity)).toEqual([3]);
    // An empty cart, or none, prices as before.
    const empty = await (await get(shop.id, { product_id: products.mug.shopifyId, cart: "" })).json();
    expect(empty.offers.find((offer: OfferJson) => offer.id === offerIds.mugBreaks).tiers).toHaveLength(2);
  });

  it("states nothing priced with the buyer's cart while it holds a line the catalog does not know yet, and the terms that do not depend on it", async () => {
    const { shop, products, offerIds } = await createOfferTestShop();
    const idsFor = async (product: string, cart: string) => ((await (await get(shop.id, { product_id: product, cart })).json()).offers as OfferJson[]).map((offer) => offer.id).sort();
    // A product created since the last catalog sync: checkout counts it towards the spend tier at
    // a price the app does not know, so what a tier, the bundle or the upgrade saves with the cart
    // cannot be known. The spend tiers' terms stay.
    const unknown = `${products.tea.variantShopifyId}:1,987654321:1`;
    expect(await idsFor(products.mug.shopifyId, unknown)).toEqual([offerIds.spend]);
    expect(await idsFor(products.candle.shopifyId, unknown)).toEqual([offerIds.spend]);
    expect(await idsFor(products.tea.shopifyId, unknown)).toEqual([offerIds.spend]);
    // The same cart without it: priced as before.
    const known = `${products.tea.variantShopifyId}:1`;
    expect(await idsFor(products.mug.shopifyId, known)).toEqual([offerIds.mugBreaks, offerIds.spend].sort());
    expect(await idsFor(products.candle.shopifyId, known)).toEqual([offerIds.bundle, offerIds.ladder, offerIds.spend].sort());
    expect(await idsFor(products.tea.shopifyId, known)).toEqual([offerIds.bundle, offerIds.spend].sort());
  });

  it("with the step below already in the cart, states the swap of that line for the upgrade at its quantity, and the ladder's own saving alone", async () => {
    const { shop, products, offerIds } = await createOfferTestShop();
    const upgradeWith = async (cart: string) =>
      ((await (await get(shop.id, { product_id: products.candle.shopifyId, cart })).json()) as { offers: OfferJson[] }).offers.find((offer) => offer.id === offerIds.ladder)?.upgrade;
    // The button swaps the carted candle for Deluxe: 16.00 instead of 12.00, less its 2.00 incentive, is 2.00 more.
    expect(await upgradeWith(`${products.candle.variantShopifyId}:1`)).toMatchObject({
      swap: 1,
      difference: gbp(200, "£2.00"),
      incentive: gbp(200, "£2.00"),
      message: "Swap yours for Deluxe for £2.00 more",
    });
    // Three carted candles (36.00, 10% spend tier: 32.40) swapped for three Deluxe (48.00 less 6.00, then 10%: 37.80):
    // 5.40 more. The cart gains 6.60 against the full price difference, but 0.60 of it is the spend tier's 10% of
    // the higher price: the incentive stated is the ladder's 6.00.
    expect(await upgradeWith(`${products.candle.variantShopifyId}:3`)).toMatchObject({
      swap: 3,
      difference: gbp(540, "£5.40"),
      incentive: gbp(600, "£6.00"),
      message: "Swap your 3 for Deluxe for £5.40 more",
    });
    // Not in the cart: one Deluxe instead of one candle, nothing swapped.
    expect(await upgradeWith("")).toMatchObject({ swap: null, difference: gbp(200, "£2.00"), message: "Upgrade to Deluxe for £2.00 more" });
  });

  it("offers no swap of the step's cart lines bought on a selling plan: they stay in the cart and are priced there, and the old cart format swaps every line", async () => {
    const { shop, products, offerIds } = await createOfferTestShop();
    const candle = products.candle.variantShopifyId;
    const upgradeWith = async (cart: string) =>
      ((await (await get(shop.id, { product_id: products.candle.shopifyId, cart })).json()) as { offers: OfferJson[] }).offers.find((offer) => offer.id === offerIds.ladder)?.upgrade;
    // The candle only as a subscription: what a buyer without it in the cart gets, one Deluxe
    // instead of one candle (12.00 + 14.00 against 12.00 + 12.00, no spend tier reached): 2.00 more.
    expect(await upgradeWith(`${candle}:1:p`)).toMatchObject({ swap: null, difference: gbp(200, "£2.00"), message: "Upgrade to Deluxe for £2.00 more" });
    expect(await upgradeWith(`${candle}:3:p`)).toMatchObject({ swap: null, message: expect.stringMatching(/^Upgrade to Deluxe /) });
    // Two bought once and one on the plan: the two are swapped, the subscription stays. 36.00 less
    // the 10% spend tier is 32.40; one candle and two Deluxe (12.00 + 32.00 less 4.00, then 10%) 36.00:
    // 3.60 more, the ladder's own 4.00 off.
    const mixed = { swap: 2, difference: gbp(360, "£3.60"), incentive: gbp(400, "£4.00"), message: "Swap your 2 for Deluxe for £3.60 more" };
    expect(await upgradeWith(`${candle}:2,${candle}:1:p`)).toMatchObject(mixed);
    expect(await upgradeWith(`${candle}:1:p,${products.tea.variantShopifyId}:1,${candle}:1,${candle}:1`)).toMatchObject({ swap: 2 });
    // The format of a script a theme still caches (no plan mark): every line is swapped, as before.
    expect(await upgradeWith(`${candle}:2,${candle}:1`)).toMatchObject({ swap: 3, difference: gbp(540, "£5.40") });
  });

  it("counts a line bought on a selling plan for everything but the swap, as checkout does", async () => {
    const { shop, products, offerIds } = await createOfferTestShop();
    await teaHalfPrice(shop.id, products.tea.shopifyId);
    const idsFor = async (cart: string) => ((await (await get(shop.id, { product_id: products.mug.shopifyId, cart })).json()).offers as OfferJson[]).map((offer) => offer.id);
    // Four teas at half price, on a plan or not (and in two lines, one on the plan), beat the mug's tiers at checkout.
    for (const tea of [`${products.tea.variantShopifyId}:4`, `${products.tea.variantShopifyId}:4:p`, `${products.tea.variantShopifyId}:1,${products.tea.variantShopifyId}:3:p`]) {
      expect(await idsFor(tea), tea).not.toContain(offerIds.mugBreaks);
    }
    // A subscribed product the catalog does not know yet still leaves out what is priced with the cart.
    expect(await idsFor("987654321:1:p")).toEqual([offerIds.spend]);
  });

  it("states the upgrade's difference from the variant the buyer selected, and offers none from a variant the ladder does not name", async () => {
    const { shop, products, offerIds } = await createOfferTestShop();
    const candle = await db.product.findUniqueOrThrow({ where: { shopId_shopifyId: { shopId: shop.id, shopifyId: products.candle.shopifyId } } });
    // A small candle at 9.00 beside the 12.00 one (the product's first variant).
    await db.variant.create({ data: { shopId: shop.id, productId: candle.id, shopifyId: "77101", priceAmount: 900, currency: "GBP", inventoryQuantity: 5 } });
    const upgradeFor = async (query: Record<string, string>, offerId = offerIds.ladder) =>
      ((await (await get(shop.id, { product_id: products.candle.shopifyId, ...query })).json()) as { offers: OfferJson[] }).offers.find((offer) => offer.id === offerId)
        ?.upgrade;
    // Deluxe at 16.00 against the small candle's 9.00, less the 2.00 incentive: 5.00 more, not the first variant's 2.00.
    expect(await upgradeFor({ variant_id: "77101" })).toMatchObject({
      difference: gbp(500, "£5.00"),
      message: "Upgrade to Deluxe for £5.00 more",
      from_variant_id: "77101",
      from_price: gbp(900, "£9.00"),
    });
    // With the small candle in the cart, the button swaps it: the same 5.00.
    expect(await upgradeFor({ variant_id: "77101", cart: "77101:1" })).toMatchObject({ difference: gbp(500, "£5.00"), swap: 1 });
    // None selected: from the product's first variant, as before.
    expect(await upgradeFor({})).toMatchObject({ difference: gbp(200, "£2.00"), from_variant_id: products.candle.variantShopifyId });
    // A ladder whose step names the regular candle (a variant) is not the small candle's.
    const regularOnly = await createTestOffer(shop.id, {
      type: "upgradeLadder",
      title: "Regular candle upgrade",
      status: "active",
      steps: [{ ref: { variantId: `gid://shopify/ProductVariant/${products.candle.variantShopifyId}` } }, { ref: { productId: `gid://shopify/Product/${products.deluxe.shopifyId}` } }],
    });
    expect(await upgradeFor({ variant_id: "77101" }, regularOnly)).toBeUndefined();
    expect(await upgradeFor({ variant_id: products.candle.variantShopifyId }, regularOnly)).toMatchObject({ from_variant_id: products.candle.variantShopifyId });
  });

  it("offers no upgrade to a step that is sold out or unpublished (adding it could only fail), and offers it again once it can be bought", async () => {
    const { shop, products, offerIds } = await createOfferTestShop();
    const ladderOn = async () =>
      ((await (await get(shop.id, { product_id: products.candle.shopifyId })).json()) as { offers: OfferJson[] }).offers.some((offer) => offer.id === offerIds.ladder);
    expect(await ladderOn()).toBe(true);
    const deluxe = { shopId: shop.id, shopifyId: products.deluxe.variantShopifyId };
    await db.variant.update({ where: { shopId_shopifyId: deluxe }, data: { inventoryQuantity: 0 } });
    expect(await ladderOn()).toBe(false);
    // Sold when out of stock: still offered.
    await db.variant.update({ where: { shopId_shopifyId: deluxe }, data: { inventoryPolicy: "continue" } });
    expect(await ladderOn()).toBe(true);
    await db.product.update({ where: { shopId_shopifyId: { shopId: shop.id, shopifyId: products.deluxe.shopifyId } }, data: { publishedAt: null } });
    expect(await ladderOn()).toBe(false);
  });

  it("offers no bundle whose items came to cost less than its price after it went live: it would name a price the buyer does not pay", async () => {
    const { shop, products, offerIds } = await createOfferTestShop();
    const bundleOn = async () =>
      ((await (await get(shop.id, { product_id: products.tea.shopifyId })).json()) as { offers: OfferJson[] }).offers.find((offer) => offer.id === offerIds.bundle);
    expect(await bundleOn()).toMatchObject({ message: "Bundle for £14.00" });
    // The candle falls from £12.00 to £9.00: tea and candle now cost £13.50, below the £14.00 bundle price.
    const candle = { shopId: shop.id, shopifyId: products.candle.variantShopifyId };
    await db.variant.update({ where: { shopId_shopifyId: candle }, data: { priceAmount: 900 } });
    expect(await bundleOn()).toBeUndefined();
    // At £9.60 the pair costs £14.10 again: the bundle saves 10p and is offered, stating exactly that.
    await db.variant.update({ where: { shopId_shopifyId: candle }, data: { priceAmount: 960 } });
    expect(await bundleOn()).toMatchObject({ message: "Bundle for £14.00", bundle: { total: gbp(1410, "£14.10"), price: gbp(1400, "£14.00"), saving: gbp(10, "£0.10") } });
  });

  it("words a tier's amount off each from what each unit saves: an item that became cheaper than it is capped at its price (JPY, no decimals)", async () => {
    const shop = await createTestShop({ currency: "JPY" });
    const sencha = await createTestProduct(shop.id, { title: "Sencha", price: 300, currency: "JPY" });
    const matcha = await createTestProduct(shop.id, { title: "Matcha", price: 120, currency: "JPY" });
    const breaks = await createTestOffer(shop.id, {
      type: "quantityBreaks",
      title: "Sencha multibuy",
      status: "active",
      eligible: { productIds: [`gid://shopify/Product/${sencha.shopifyId}`] },
      tiers: [
        { minQuantity: 2, value: { kind: "amountOffEach", amount: { amount: 100, currency: "JPY" } } },
        { minQuantity: 3, value: { kind: "amountOffEach", amount: { amount: 150, currency: "JPY" } } },
      ],
    });
    const percent = await createTestOffer(shop.id, {
      type: "quantityBreaks",
      title: "Matcha multibuy",
      status: "active",
      eligible: { productIds: [`gid://shopify/Product/${matcha.shopifyId}`] },
      tiers: [{ minQuantity: 4, value: { kind: "percentage", percent: 10 } }],
    });
    const offerOf = async (product: { shopifyId: string }, id: string) =>
      ((await (await get(shop.id, { product_id: product.shopifyId })).json()).offers as OfferJson[]).find((offer) => offer.id === id);
    // At 300 JPY every unit gets the amount configured.
    expect(await offerOf(sencha, breaks)).toMatchObject({
      message: "Buy 2, save ¥100 each · Buy 3, save ¥150 each",
      tiers: [
        { min_quantity: 2, saving_label: "Save ¥100 each", unit_price: { amount: 200, currency: "JPY", formatted: "¥200" } },
        { min_quantity: 3, saving_label: "Save ¥150 each", unit_price: { amount: 150, currency: "JPY", formatted: "¥150" } },
      ],
    });
    // The price falls to 120 JPY after the offer was saved: 150 off each takes 120 (the item is free), so it says 120.
    await db.variant.update({ where: { shopId_shopifyId: { shopId: shop.id, shopifyId: sencha.variantShopifyId } }, data: { priceAmount: 120 } });
    expect(await offerOf(sencha, breaks)).toMatchObject({
      message: "Buy 2, save ¥100 each · Buy 3, save ¥120 each",
      tiers: [
        { min_quantity: 2, saving_label: "Save ¥100 each", unit_price: { amount: 20, currency: "JPY", formatted: "¥20" } },
        { min_quantity: 3, saving_label: "Save ¥120 each", unit_price: { amount: 0, currency: "JPY", formatted: "¥0" } },
      ],
    });
    // A percentage is stated as configured: it never takes more than the item costs (4 × 120 less 10% = 432).
    expect(await offerOf(matcha, percent)).toMatchObject({
      message: "Buy 4, save 10%",
      tiers: [{ min_quantity: 4, saving_label: "Save 10%", unit_price: { amount: 108, currency: "JPY", formatted: "¥108" } }],
    });
    // At 1 JPY, 10% of four (0.4) rounds to nothing: checkout takes nothing off, so no "save 10%" is stated.
    await db.variant.update({ where: { shopId_shopifyId: { shopId: shop.id, shopifyId: matcha.variantShopifyId } }, data: { priceAmount: 1 } });
    expect(await offerOf(matcha, percent)).toBeUndefined();
  });

  it("lists no quantity-break tier priced each that saves no more each than a tier below it, and every tier stated as a percentage (JPY, no decimals)", async () => {
    const shop = await createTestShop({ currency: "JPY" });
    const sencha = await createTestProduct(shop.id, { title: "Sencha", price: 300, currency: "JPY" });
    const hojicha = await createTestProduct(shop.id, { title: "Hojicha", price: 10, currency: "JPY" });
    const gid = (product: { shopifyId: string }) => `gid://shopify/Product/${product.shopifyId}`;
    const amounts = await createTestOffer(shop.id, {
      type: "quantityBreaks",
      title: "Sencha multibuy",
      status: "active",
      eligible: { productIds: [gid(sencha)] },
      tiers: [
        { minQuantity: 2, value: { kind: "amountOffEach", amount: { amount: 150, currency: "JPY" } } },
        { minQuantity: 3, value: { kind: "amountOffEach", amount: { amount: 200, currency: "JPY" } } },
        { minQuantity: 5, value: { kind: "amountOffEach", amount: { amount: 250, currency: "JPY" } } },
      ],
    });
    const percentages = await createTestOffer(shop.id, {
      type: "quantityBreaks",
      title: "Hojicha multibuy",
      status: "active",
      eligible: { productIds: [gid(hojicha)] },
      tiers: [
        { minQuantity: 2, value: { kind: "percentage", percent: 10 } },
        { minQuantity: 3, value: { kind: "percentage", percent: 12 } },
        { minQuantity: 4, value: { kind: "percentage", percent: 20 } },
      ],
    });
    const offerOf = async (product: { shopifyId: string }, id: string) =>
      ((await (await get(shop.id, { product_id: product.shopifyId })).json()).offers as OfferJson[]).find((offer) => offer.id === id);
    const jpy = (amount: number) => ({ amount, currency: "JPY", formatted: `¥${amount}` });
    expect(await offerOf(sencha, amounts)).toMatchObject({
      message: "Buy 2, save ¥150 each · Buy 3, save ¥200 each · Buy 5, save ¥250 each",
      tiers: [{ min_quantity: 2 }, { min_quantity: 3 }, { min_quantity: 5 }],
    });
    // At ¥120 every amount is capped at the price: three rows would all read "save ¥120 each" at ¥0 each, promising
    // nothing for a third or fifth item. Checkout gives whoever buys more the same ¥120 off each, as the 2+ row states.
    await db.variant.update({ where: { shopId_shopifyId: { shopId: shop.id, shopifyId: sencha.variantShopifyId } }, data: { priceAmount: 120 } });
    expect(await offerOf(sencha, amounts)).toEqual(
      expect.objectContaining({
        message: "Buy 2, save ¥120 each",
        tiers: [{ min_quantity: 2, label: "2+", saving_label: "Save ¥120 each", unit_price: jpy(0), percent: null }],
        base_unit_price: jpy(120),
      }),
    );
    // At ¥160 the 3+ tier's ¥160 saves more each than the 2+ tier's ¥150; the 5+ tier, capped at ¥160 too, does not.
    await db.variant.update({ where: { shopId_shopifyId: { shopId: shop.id, shopifyId: sencha.variantShopifyId } }, data: { priceAmount: 160 } });
    expect((await offerOf(sencha, amounts))?.tiers).toEqual([
      { min_quantity: 2, label: "2+", saving_label: "Save ¥150 each", unit_price: jpy(10), percent: null },
      { min_quantity: 3, label: "3+", saving_label: "Save ¥160 each", unit_price: jpy(0), percent: null },
    ]);
    // ¥10 items: 12% is ¥1.20 off each, no whole yen, so no price each holds at every quantity (3 less 12% cost
    // ¥26, "¥9 each" would say ¥27) and every tier is stated as its percentage: none is left out, since a row
    // left out would have the 2+ row state 10% where three get 12%.
    expect(await offerOf(hojicha, percentages)).toMatchObject({
      message: "Buy 2, save 10% · Buy 3, save 12% · Buy 4, save 20%",
      tiers: [
        { min_quantity: 2, saving_label: "Save 10%", unit_price: null, percent: 10 },
        { min_quantity: 3, saving_label: "Save 12%", unit_price: null, percent: 12 },
        { min_quantity: 4, saving_label: "Save 20%", unit_price: null, percent: 20 },
      ],
    });
  });

  it("words a bundle's amount off from what the bundle saves when its items came to cost less than it (KWD, three decimals)", async () => {
    const shop = await createTestShop({ currency: "KWD" });
    const dates = await createTestProduct(shop.id, { title: "Dates", price: 2000, currency: "KWD" });
    const coffee = await createTestProduct(shop.id, { title: "Coffee", price: 3500, currency: "KWD" });
    const gid = (product: { shopifyId: string }) => `gid://shopify/Product/${product.shopifyId}`;
    const bundle = await createTestOffer(shop.id, {
      type: "fixedBundle",
      title: "Dates and coffee",
      status: "active",
      items: [
        { ref: { productId: gid(dates) }, quantity: 1 },
        { ref: { productId: gid(coffee) }, quantity: 1 },
      ],
      pricing: { kind: "amountOff", amount: { amount: 5000, currency: "KWD" } },
    });
    const percent = await createTestOffer(shop.id, {
      type: "fixedBundle",
      title: "Two coffees",
      status: "active",
      items: [{ ref: { productId: gid(coffee) }, quantity: 2 }],
      pricing: { kind: "percentage", percent: 10 },
    });
    const offerOf = async (product: { shopifyId: string }, id: string) =>
      ((await (await get(shop.id, { product_id: product.shopifyId })).json()).offers as OfferJson[]).find((offer) => offer.id === id);
    // 5.500 KWD of items: the 5.000 off is taken whole.
    expect(await offerOf(dates, bundle)).toMatchObject({ message: "Buy together, save KWD\u00a05.000", bundle: { saving: { amount: 5000 } } });
    // The coffee falls to 1.500 KWD: the pair costs 3.500, so the bundle is free and saves 3.500, not 5.000.
    await db.variant.update({ where: { shopId_shopifyId: { shopId: shop.id, shopifyId: coffee.variantShopifyId } }, data: { priceAmount: 1500 } });
    expect(await offerOf(dates, bundle)).toMatchObject({
      message: "Buy together, save KWD\u00a03.500",
      bundle: { total: { amount: 3500, formatted: "KWD\u00a03.500" }, price: { amount: 0 }, saving: { amount: 3500, formatted: "KWD\u00a03.500" } },
    });
    // A percentage is stated as configured: 10% of 3.000 is 0.300.
    expect(await offerOf(coffee, percent)).toMatchObject({ message: "Buy together, save 10%", bundle: { saving: { amount: 300 } } });
  });

  it("states a mix-and-match set's terms on an item's page only as they hold for every set with that item, whichever others the buyer picks", async () => {
    const { shop, products } = await createOfferTestShop();
    const gid = (id: string) => `gid://shopify/Product/${id}`;
    // Tea £4.50, candle £12.00, deluxe candle £16.00; offers saved before prices moved, as saving would refuse some today.
    const teaAndDeluxe = { productIds: [gid(products.tea.shopifyId), gid(products.deluxe.shopifyId)] };
    const candles = { productIds: [gid(products.candle.shopifyId), gid(products.deluxe.shopifyId)] };
    const mixAndMatch = (title: string, eligible: object, pricing: object) =>
      createTestOffer(shop.id, { type: "mixAndMatch", title, status: "active", eligible, setSize: 2, pricing });
    const off = await mixAndMatch("Any two, 10.00 off", teaAndDeluxe, { kind: "amountOff", amount: { amount: 1000, currency: "GBP" } });
    const priced = await mixAndMatch("Any two for 12.00", teaAndDeluxe, { kind: "fixedPrice", price: { amount: 1200, currency: "GBP" } });
    const percent = await mixAndMatch("Any two, 12.5% off", teaAndDeluxe, { kind: "percentage", percent: 12.5 });
    const candlesOff = await mixAndMatch("Two candles, 10.00 off", candles, { kind: "amountOff", amount: { amount: 1000, currency: "GBP" } });
    const candlesPriced = await mixAndMatch("Two candles for 20.00", candles, { kind: "fixedPrice", price: { amount: 2000, currency: "GBP" } });
    const offerOf = async (product: string, id: string, cart = "") =>
      ((await (await get(shop.id, { product_id: product, cart })).json()).offers as OfferJson[]).find((offer) => offer.id === id);

    // Two teas (£9.00) save £9.00 with 10.00 off and cost £9.00, not £12.00: neither is stated on the tea's page
    // (it used to say "save £9.00"). Every pair with the deluxe candle, the tea's too (£20.50), saves £10.00 and
    // costs £12.00: both are stated on the deluxe candle's page.
    expect(await offerOf(products.tea.shopifyId, off)).toBeUndefined();
    expect(await offerOf(products.tea.shopifyId, priced)).toBeUndefined();
    expect(await offerOf(products.deluxe.shopifyId, off)).toMatchObject({ message: "Any 2, save £10.00", deal: { kind: "amountOff", amount: gbp(1000, "£10.00") } });
    expect(await offerOf(products.deluxe.shopifyId, priced)).toMatchObject({ message: "Any 2 for £12.00", deal: { kind: "fixedPrice", amount: gbp(1200, "£12.00") } });
    // A percentage holds whatever the pair.
    for (const product of [products.tea.shopifyId, products.deluxe.shopifyId]) {
      expect(await offerOf(product, percent)).toMatchObject({ message: "Any 2, save 12.5%", deal: { kind: "percentage", percent: 12.5, size: 2 } });
    }
    // Candles from £12.00: every pair costs at least £24.00, so £10.00 off is taken whole and £20.00 is what every pair
    // costs, on each candle's page (the set price, not a saving: that varies from £4.00 to £12.00).
    for (const product of [products.candle.shopifyId, products.deluxe.shopifyId]) {
      expect(await offerOf(product, candlesOff)).toMatchObject({ message: "Any 2, save £10.00", deal: { kind: "amountOff", amount: gbp(1000, "£10.00"), size: 2 } });
      expect(await offerOf(product, candlesPriced)).toMatchObject({ message: "Any 2 for £20.00", deal: { kind: "fixedPrice", amount: gbp(2000, "£20.00"), size: 2 } });
    }
    // A variant of the deluxe candle at £4.00, which the buyer can pick: a £12.00 candle with it costs £16.00, so
    // £10.00 off still holds on the candle's page but £20.00 does not (that pair costs its own £16.00).
    const deluxe = await db.product.findUniqueOrThrow({ where: { shopId_shopifyId: { shopId: shop.id, shopifyId: products.deluxe.shopifyId } } });
    await db.variant.create({ data: { shopId: shop.id, productId: deluxe.id, shopifyId: "77009", priceAmount: 400, currency: "GBP", inventoryQuantity: 5 } });
    expect(await offerOf(products.candle.shopifyId, candlesOff)).toMatchObject({ message: "Any 2, save £10.00" });
    expect(await offerOf(products.candle.shopifyId, candlesPriced)).toBeUndefined();
    // Judged by the catalog's prices, not the buyer's cart: a cart line the catalog does not know yet changes nothing.
    expect(await offerOf(products.tea.shopifyId, percent, "987654321:1")).toMatchObject({ message: "Any 2, save 12.5%" });
  });

  it("answers 400 naming the cart when it is malformed", async () => {
    const { shop, products } = await createOfferTestShop();
    const malformed = ["12", "12:0", "12:x", "12:10001", "12:1,,13:1", "12:1:", "12:1:x", "12:1:P", "12:1:p:p", "12:1:1234", "12:p", "12:0:p"];
    for (const cart of [...malformed, Array.from({ length: 101 }, (_, i) => `${i + 1}:1`).join(",")]) {
      const response = await get(shop.id, { product_id: products.mug.shopifyId, cart });
      expect(response.status, cart.slice(0, 20)).toBe(400);
      expect(Object.keys((await response.json()).fields)).toEqual(["cart"]);
    }
    // The answer says what a line is, the plan mark included.
    const response = await get(shop.id, { product_id: products.mug.shopifyId, cart: `${products.tea.variantShopifyId}:1:p,12:1:sub` });
    expect((await response.json()).fields.cart.join(" ")).toContain('"12:1:sub" is not <variant id>:<quantity from 1 to 10000>, with :p after a line on a selling plan');
    // Both formats, one line of each: not malformed.
    expect((await get(shop.id, { product_id: products.mug.shopifyId, cart: `${products.tea.variantShopifyId}:1:p,${products.tea.variantShopifyId}:2` })).status).toBe(200);
  });

  // PostgreSQL's INTEGER price column cannot hold a price that large, so there the cart cannot
  // overflow (100 lines of 10,000 at most); SQLite's can.
  it.skipIf(databaseProvider(databaseUrl()) !== "sqlite")("answers 400, not 500, for a cart whose merged lines cost more than can be priced exactly", async () => {
    const { shop, products } = await createOfferTestShop();
    await db.variant.updateMany({ where: { shopId: shop.id, shopifyId: products.mug.variantShopifyId }, data: { priceAmount: 10_000_000_000 } });
    // 100 lines of 10,000 mugs merge into 1,000,000 at 100,000,000.00 each: past Number.MAX_SAFE_INTEGER.
    const cart = Array.from({ length: 100 }, () => `${products.mug.variantShopifyId}:10000`).join(",");
    const response = await get(shop.id, { product_id: products.mug.shopifyId, cart });
    expect(response.status).toBe(400);
    expect(response.headers.get("Cache-Control")).toBe("no-store");
    expect(await response.json()).toEqual({
      error: "invalid_cart",
      message: `This cart cannot be priced: Cart line of variant ${products.mug.variantShopifyId} is too large.`,
    });
  });

  it("states buy X get Y and mix-and-match terms as numbers on every product they cover, naming deals that only some variants get", async () => {
    const { shop, products } = await createOfferTestShop();
    const mug = await db.product.findUniqueOrThrow({ where: { shopId_shopifyId: { shopId: shop.id, shopifyId: products.mug.shopifyId } } });
    await db.variant.create({ data: { shopId: shop.id, productId: mug.id, shopifyId: "77004", priceAmount: 1000, currency: "GBP", inventoryQuantity: 5 } });
    const gid = (id: string) => `gid://shopify/Product/${id}`;
    const free = await createTestOffer(shop.id, {
      type: "buyXGetY",
      title: "Tea on us",
      status: "active",
      buy: { items: { productIds: [gid(products.mug.shopifyId)] }, quantity: 2 },
      get: { items: { productIds: [gid(products.tea.shopifyId)] }, quantity: 1, percent: 100 },
    });
    const half = await createTestOffer(shop.id, {
      type: "buyXGetY",
      title: "Large mugs: second at half price",
      status: "active",
      buy: { items: { variantIds: ["gid://shopify/ProductVariant/77004"] }, quantity: 1 },
      get: { items: { variantIds: ["gid://shopify/ProductVariant/77004"] }, quantity: 1, percent: 50 },
      maxUsesPerOrder: 2,
    });
    const set = await createTestOffer(shop.id, {
      type: "mixAndMatch",
      title: "Any three",
      status: "active",
      eligible: { productIds: [gid(products.mug.shopifyId), gid(products.candle.shopifyId), gid(products.deluxe.shopifyId)] },
      setSize: 3,
      pricing: { kind: "fixedPrice", price: { amount: 2000, currency: "GBP" } },
    });
    const paused = await createTestOffer(shop.id, {
      type: "mixAndMatch",
      title: "Paused",
      status: "paused",
      eligible: { productIds: [gid(products.tea.shopifyId)] },
      setSize: 2,
      pricing: { kind: "percentage", percent: 12.5 },
      maxSetsPerOrder: 1,
    });
    const dealsOf = async (productId: string) => {
      const body = await (await get(shop.id, { product_id: productId })).json();
      return Object.fromEntries((body.offers as OfferJson[]).filter((offer) => offer.deal).map((offer) => [offer.id, offer.deal]));
    };
    const pair = await createTestOffer(shop.id, {
      type: "mixAndMatch",
      title: "Any two for thirty",
      status: "active",
      eligible: { productIds: [gid(products.tea.shopifyId), gid(products.deluxe.shopifyId)] },
      setSize: 2,
      pricing: { kind: "fixedPrice", price: { amount: 3000, currency: "GBP" } },
    });
    // Two teas cost 9.00, under the set price: they would not cost the price named, so it is stated on no page,
    // not even the deluxe candle's (two of them cost 32.00).
    expect(Object.keys(await dealsOf(products.tea.shopifyId))).not.toContain(pair);
    expect(Object.keys(await dealsOf(products.deluxe.shopifyId))).not.toContain(pair);
    // Mugs buy the tea: each page names the other side, never "buy 2, get 1 free" of itself.
    expect(await dealsOf(products.mug.shopifyId)).toEqual({
      [free]: { kind: "freeBuy", buy: 2, get: 1, other: "Tea", some_variants: false, per_order: null },
      [half]: { kind: "off", buy: 1, get: 1, percent: 50, some_variants: true, per_order: 2 },
      [set]: { kind: "fixedPrice", amount: gbp(2000, "£20.00"), size: 3, some_variants: false, per_order: null },
    });
    // Only the large mug counts as bought: the regular one given with itself gets nothing, so "some options only".
    const large = await createTestOffer(shop.id, {
      type: "buyXGetY",
      title: "Large mug, any mug free",
      status: "active",
      buy: { items: { variantIds: ["gid://shopify/ProductVariant/77004"] }, quantity: 1 },
      get: { items: { productIds: [gid(products.mug.shopifyId)] }, quantity: 1, percent: 100 },
    });
    // A candle buys a tea or a mug: two products to get, so the candle's page names no single one.
    const either = await createTestOffer(shop.id, {
      type: "buyXGetY",
      title: "Candle treats",
      status: "active",
      buy: { items: { productIds: [gid(products.candle.shopifyId)] }, quantity: 1 },
      get: { items: { productIds: [gid(products.tea.shopifyId), gid(products.mug.shopifyId)] }, quantity: 1, percent: 50 },
    });
    expect((await dealsOf(products.mug.shopifyId))[large]).toMatchObject({ kind: "free", some_variants: true });
    expect((await dealsOf(products.candle.shopifyId))[either]).toMatchObject({ kind: "offBuy", percent: 50, other: null, some_variants: false });
    await setOfferStatus(shop.id, large, "paused");
    await setOfferStatus(shop.id, either, "paused");
    // The free item's page states the deal too; a paused offer is not stated anywhere.
    expect(await dealsOf(products.tea.shopifyId)).toEqual({ [free]: { kind: "freeGet", buy: 2, get: 1, other: "Mug", some_variants: false, per_order: null } });
    expect(Object.keys(await dealsOf(products.tea.shopifyId))).not.toContain(paused);
    await setOfferStatus(shop.id, paused, "active");
    expect((await dealsOf(products.tea.shopifyId))[paused]).toEqual({ kind: "percentage", percent: 12.5, size: 2, some_variants: false, per_order: 1 });
  });

  it("stops showing an offer as soon as it is paused", async () => {
    const { shop, products, offerIds } = await createOfferTestShop();
    await setOfferStatus(shop.id, offerIds.mugBreaks, "paused");
    const body = await (await get(shop.id, { product_id: products.mug.shopifyId })).json();
    expect(body.offers.map((offer: OfferJson) => offer.id)).toEqual([offerIds.spend]);
  });

  it("answers 404 for a product the shop does not have, including another shop's product", async () => {
    const { shop } = await createOfferTestShop();
    const other = await createTestShop({ currency: "GBP" });
    const foreign = await createTestProduct(other.id, { title: "Other shop's mug", price: 999, currency: "GBP" });
    const response = await get(shop.id, { product_id: foreign.shopifyId });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: "unknown_product" });
    expect((await get(shop.id, { product_id: "123456789" })).status).toBe(404);
  });

  it("answers 400 for a missing or malformed product id and 401 when unsigned", async () => {
    const { shop, products } = await createOfferTestShop();
    const missing = await get(shop.id, {});
    expect(missing.status).toBe(400);
    expect(Object.keys((await missing.json()).fields)).toEqual(["product_id"]);
    expect((await get(shop.id, { product_id: "gid://shopify/Product/1" })).status).toBe(400);
    const forged = await get(shop.id, { product_id: products.mug.shopifyId }, { secret: "wrong" });
    expect(forged.status).toBe(401);
    const unsigned = await responseOf(() =>
      loader({ request: new Request(`http://localhost/proxy/offers?product_id=${products.mug.shopifyId}`), params: {}, context: {} }),
    );
    expect(unsigned.status).toBe(401);
  });
});
