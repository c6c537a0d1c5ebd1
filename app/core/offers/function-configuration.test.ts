import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { nowArbitrary, offersArbitrary } from "./arbitraries";
import { decodeFunctionConfiguration, liveDecodedOffers } from "./decode-function-configuration";
import { encodeFunctionConfiguration } from "./encode-function-configuration";
import { FUNCTION_CONFIGURATION_MAX_BYTES, SCHEDULE_SLOTS, slotName, UNUSED_SLOT } from "./function-configuration-format";
import { compareByPrecedence } from "./prepare-offer";
import { isOfferLive } from "./schedule";
import { toShopLocalDateTime } from "../shop-local-time";
import { combinesWithAll, makeOffer, NOW } from "./test-support";
import type { Offer, SpendTiersOffer } from "./types";

/** What survives encoding: everything checkout needs; titles, labels, schedules and empty lists do not. */
function asCheckoutSeesIt(offer: Offer): Offer {
  const json = JSON.parse(JSON.stringify(offer), (key, value: unknown) => {
    if (key === "label") return undefined;
    if (["productIds", "variantIds", "collectionIds"].includes(key) && Array.isArray(value) && value.length === 0) return undefined;
    if (key === "byCurrency" && value && typeof value === "object" && Object.keys(value).length === 0) return undefined;
    return value;
  }) as Offer;
  return { ...json, title: offer.id, status: "active", schedule: { startsAt: null, endsAt: null } };
}

/** Shopify's clock, asked about each slot: is the shop's time at or past it? (UTC shop) */
function clockAt(value: string, now: number): boolean[] {
  const document = JSON.parse(value) as Record<string, string>;
  return Array.from({ length: SCHEDULE_SLOTS }, (_, slot) => now >= Date.parse(`${document[slotName(slot)]}Z`));
}

const spend = (id: string, extra: Record<string, unknown> = {}) =>
  makeOffer({
    id,
    type: "spendTiers",
    tiers: [{ minSubtotal: { amount: 10_000, currency: "USD" }, value: { kind: "percentage", percent: 10 } }],
    ...extra,
  });

describe("function configuration", () => {
  it("round-trips every offer checkout needs, exactly", () => {
    fc.assert(
      fc.property(offersArbitrary, (offers) => {
        const encoded = encodeFunctionConfiguration(offers, { now: NOW - 10 * 86_400_000 });
        const decoded = decodeFunctionConfiguration(encoded.value);
        expect(decoded).not.toBeNull();
        const expected = offers.filter((offer) => encoded.includedOfferIds.includes(offer.id));
        const byId = new Map(decoded?.offers.map((entry) => [entry.offer.id, entry.offer]));
        for (const offer of expected) expect(byId.get(offer.id)).toEqual(asCheckoutSeesIt(offer));
        expect(decoded?.offers.length).toBe(expected.length);
      }),
      { numRuns: 300 },
    );
  });

  it("lets the function's clock decide liveness exactly as the engine does", () => {
    fc.assert(
      fc.property(offersArbitrary, nowArbitrary, (offers, now) => {
        const encoded = encodeFunctionConfiguration(offers, { now: NOW - 10 * 86_400_000 });
        const decoded = decodeFunctionConfiguration(encoded.value);
        if (!decoded) throw new Error("undecodable");
        const live = liveDecodedOffers(decoded, clockAt(encoded.value, now)).map((offer) => offer.id);
        const expected = offers.filter((offer) => encoded.includedOfferIds.includes(offer.id) && isOfferLive(offer, now)).map((offer) => offer.id);
        expect(live.sort()).toEqual(expected.sort());
      }),
      { numRuns: 300 },
    );
  });

  it("leaves out paused, ended and incentive-less offers, saying why", () => {
    const ladder = makeOffer({ id: "ladder", type: "upgradeLadder", steps: [{ ref: { productId: "a" } }, { ref: { productId: "b" } }] });
    const encoded = encodeFunctionConfiguration(
      [spend("live"), spend("paused", { status: "paused" }), spend("over", { schedule: { endsAt: NOW - 1000 } }), ladder],
      { now: NOW },
    );
    expect(encoded.includedOfferIds).toEqual(["live"]);
    expect(encoded.omitted.map((o) => [o.offerId, o.reason])).toEqual([
      ["ladder", "no-checkout-discount"],
      ["over", "ended"],
      ["paused", "inactive"],
    ]);
  });

  it("compacts Shopify ids and keeps other ids intact", () => {
    const offer = makeOffer({
      id: "b",
      type: "fixedBundle",
      items: [
        { ref: { productId: "gid://shopify/Product/123" }, quantity: 1 },
        { ref: { variantId: "456" }, quantity: 1 },
        { ref: { productId: "#hash" }, quantity: 1 },
      ],
      pricing: { kind: "percentage", percent: 10 },
    });
    const encoded = encodeFunctionConfiguration([offer], { now: NOW });
    expect(encoded.value).toContain('"it":[["p","123",1],["v","#456",1],["p","##hash",1]]');
    expect(decodeFunctionConfiguration(encoded.value)?.offers[0]?.offer).toEqual(asCheckoutSeesIt(offer));
  });

  it("writes schedule boundaries in the shop's time zone for Shopify's clock", () => {
    const offer = spend("sale", { schedule: { startsAt: "2025-06-02T00:00:00Z", endsAt: "2025-06-09T00:00:00Z" } });
    const encoded = encodeFunctionConfiguration([offer], { now: NOW, shopTimeZone: "Asia/Tokyo" });
    const document = JSON.parse(encoded.value) as Record<string, unknown>;
    expect(document.t0).toBe("2025-06-02T09:00:00");
    expect(document.t1).toBe("2025-06-09T09:00:00");
    expect(document.t2).toBe(UNUSED_SLOT);
    expect(toShopLocalDateTime(Date.parse("2025-01-15T12:00:00Z"), "America/New_York")).toBe("2025-01-15T07:00:00");
    expect(toShopLocalDateTime(Date.parse("2025-07-15T12:00:00Z"), "America/New_York")).toBe("2025-07-15T08:00:00");
  });

  it("writes a boundary at the end of year 9999 as a date-time Shopify can read, east of UTC too", () => {
    // Validation accepts instants up to 9999-12-31T23:59:59Z ("never ends" set through the API);
    // in Tokyo that is 10000-01-01T08:59:59, which is no DateTimeWithoutTimezone.
    const offer = spend("forever", { schedule: { startsAt: "2025-06-02T00:00:00Z", endsAt: "9999-12-31T23:59:59Z" } });
    for (const shopTimeZone of ["UTC", "Asia/Tokyo", "Pacific/Kiritimati", "America/New_York"]) {
      const encoded = encodeFunctionConfiguration([offer], { now: NOW, shopTimeZone });
      const document = JSON.parse(encoded.value) as Record<string, unknown>;
      for (let slot = 0; slot < SCHEDULE_SLOTS; slot += 1) expect(document[slotName(slot)]).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/);
      expect(encoded.includedOfferIds).toEqual(["forever"]);
    }
  });

  it(`follows at most ${SCHEDULE_SLOTS} upcoming schedule changes, keeping the highest-priority offers`, () => {
    const offers = Array.from({ length: SCHEDULE_SLOTS + 1 }, (_, index) =>
      spend(`s${index}`, { priority: 100 - index, schedule: { startsAt: NOW + (index + 1) * 3_600_000 } }),
    );
    const pastStart = spend("already-started", { priority: -5, schedule: { startsAt: NOW - 1000 } });
    const encoded = encodeFunctionConfiguration([...offers, pastStart], { now: NOW });
    expect(encoded.includedOfferIds).toEqual([...offers.slice(0, SCHEDULE_SLOTS).map((o) => o.id), "already-started"]);
    expect(encoded.omitted).toMatchObject([{ offerId: `s${SCHEDULE_SLOTS}`, reason: "schedule-slots" }]);
  });

  it("GIVEN offers beyond 10,000 bytes THEN drops the lowest-priority ones, reports them, and fits", () => {
    const offers = Array.from({ length: 40 }, (_, index) =>
      makeOffer({
        id: `mix-${String(index).padStart(2, "0")}`,
        type: "mixAndMatch",
        priority: index % 5,
        eligible: { productIds: Array.from({ length: 12 }, (_, p) => `gid://shopify/Product/${1_000_000_000_000 + index * 100 + p}`) },
        setSize: 3,
        pricing: { kind: "percentage", percent: 10 },
      }),
    );
    const encoded = encodeFunctionConfiguration(offers, { now: NOW });
    expect(encoded.byteLength).toBeLessThanOrEqual(FUNCTION_CONFIGURATION_MAX_BYTES);
    expect(new TextEncoder().encode(encoded.value).length).toBe(encoded.byteLength);
    const dropped = encoded.omitted.filter((o) => o.reason === "size-limit").map((o) => o.offerId);
    expect(dropped.length).toBeGreaterThan(0);
    expect(encoded.includedOfferIds.length + dropped.length).toBe(40);
    // Everything kept outranks everything dropped: precedence is priority, then id.
    const byPrecedence = [...offers].sort(compareByPrecedence).map((offer) => offer.id);
    expect(encoded.includedOfferIds).toEqual(byPrecedence.slice(0, encoded.includedOfferIds.length));
    expect(dropped).toEqual(byPrecedence.slice(encoded.includedOfferIds.length));
    expect(encoded.omitted[0]?.message).toMatch(/10000-byte limit/);
  });

  it("GIVEN offers of equal priority that do not all fit THEN the ones listed first (oldest) stay, whatever their ids, and a higher priority still comes first", () => {
    const big = (id: string, priority: number, seed: number) =>
      makeOffer({
        id,
        type: "mixAndMatch",
        priority,
        eligible: { productIds: Array.from({ length: 150 }, (_, p) => `gid://shopify/Product/${1_000_000_000_000 + seed * 1000 + p}`) },
        setSize: 2,
        pricing: { kind: "percentage", percent: 10 },
      });
    // Listed oldest first, as listActiveOffers lists them: "zz-old" was created before "aa-new".
    const old = big("zz-old", 0, 1);
    const newer = big("aa-new", 0, 2);
    const urgent = big("mm-urgent", 5, 3);
    const maxBytes = encodeFunctionConfiguration([old, urgent], { now: NOW }).byteLength;
    const encoded = encodeFunctionConfiguration([old, newer, urgent], { now: NOW, maxBytes });
    expect(encoded.includedOfferIds).toEqual(["mm-urgent", "zz-old"]);
    expect(encoded.omitted).toMatchObject([{ offerId: "aa-new", reason: "size-limit", message: expect.stringMatching(/older ones of the same priority.*raise its priority/) }]);
    // The same offers listed the other way round: the first listed stays, so the caller's order decides, not the id.
    expect(encodeFunctionConfiguration([newer, old, urgent], { now: NOW, maxBytes }).includedOfferIds).toEqual(["mm-urgent", "aa-new"]);
    // Checkout's configuration keeps the engine's precedence (priority, then id): only admission follows age.
    const written = JSON.parse(encodeFunctionConfiguration([old, newer], { now: NOW }).value) as { o: { i: string }[] };
    expect(written.o.map((offer) => offer.i)).toEqual(["aa-new", "zz-old"]);
  });

  it("GIVEN more schedule changes than slots among offers of equal priority THEN the slots go to the offers listed first", () => {
    const offers = Array.from({ length: SCHEDULE_SLOTS + 1 }, (_, index) =>
      spend(`s${String(SCHEDULE_SLOTS - index).padStart(2, "0")}`, { schedule: { startsAt: NOW + (index + 1) * 3_600_000 } }),
    );
    const encoded = encodeFunctionConfiguration(offers, { now: NOW });
    expect(encoded.omitted).toMatchObject([{ offerId: offers[SCHEDULE_SLOTS]!.id, reason: "schedule-slots" }]);
  });

  it("GIVEN one offer too large on its own THEN only that one is left out, and it is told so", () => {
    // As many products and variants on each side as validation allows: about 15 kB encoded.
    const items = (side: number) => ({
      productIds: Array.from({ length: 250 }, (_, p) => `gid://shopify/Product/${1_000_000_000_000 + side * 1000 + p}`),
      variantIds: Array.from({ length: 250 }, (_, v) => `gid://shopify/ProductVariant/${2_000_000_000_000 + side * 1000 + v}`),
    });
    const huge = makeOffer({ id: "huge", type: "buyXGetY", priority: 100, buy: { items: items(1), quantity: 1 }, get: { items: items(2), quantity: 1, percent: 50 } });
    const small = ["a", "b", "c"].map((id) =>
      makeOffer({ id, type: "quantityBreaks", eligible: { productIds: [`gid://shopify/Product/${id.charCodeAt(0)}`] }, tiers: [{ minQuantity: 2, value: { kind: "percentage", percent: 10 } }] }),
    );
    const encoded = encodeFunctionConfiguration([huge, ...small], { now: NOW });
    expect(encoded.includedOfferIds).toEqual(["a", "b", "c"]);
    expect(encoded.omitted).toEqual([{ offerId: "huge", reason: "size-limit", message: expect.stringContaining("this offer alone is larger") }]);
    expect(encoded.discount.discountClasses).toEqual(["PRODUCT"]);
  });

  it("describes the automatic discount to create: classes used, combinations every offer allows", () => {
    const product = makeOffer({
      id: "p",
      type: "quantityBreaks",
      eligible: { productIds: ["x"] },
      tiers: [{ minQuantity: 2, value: { kind: "percentage", percent: 10 } }],
      combinesWith: combinesWithAll,
    });
    const encoded = encodeFunctionConfiguration([product, spend("o", { combinesWith: { productDiscounts: true } })], { now: NOW });
    expect(encoded.discount).toEqual({
      discountClasses: ["PRODUCT", "ORDER"],
      combinesWith: { productDiscounts: true, orderDiscounts: false, shippingDiscounts: false },
    });
  });

  it("reads a stored percentage of 0 basis points as saving nothing, not as a malformed configuration", () => {
    // Validation once let 0.000000001% through (0 basis points once rounded). The reader refused
    // the whole configuration for it, and checkout then gave no discount for any offer of the shop.
    const tiny: SpendTiersOffer = { ...(spend("tiny") as SpendTiersOffer), tiers: [{ minSubtotal: { amount: 1000, currency: "USD" }, value: { kind: "percentage", percent: 0.000000001 } }] };
    const encoded = encodeFunctionConfiguration([tiny, spend("ten")], { now: NOW });
    const decoded = decodeFunctionConfiguration(encoded.value);
    expect(decoded?.offers.map((entry) => entry.offer.id)).toEqual(["ten", "tiny"]);
  });

  it.each([
    ["not JSON", "{"],
    ["another version", { v: 2, c: "USD", o: [] }],
    ["a bad currency", { v: 1, c: "usd", o: [] }],
    ["an unknown offer kind", { v: 1, c: "USD", o: [{ k: "zz", i: "a", p: 0, c: 0 }] }],
    ["a fractional amount", { v: 1, c: "USD", o: [{ k: "st", i: "a", p: 0, c: 0, r: [[10.5, ["%", 1000]]] }] }],
    ["a percentage over 100%", { v: 1, c: "USD", o: [{ k: "st", i: "a", p: 0, c: 0, r: [[1000, ["%", 10001]]] }] }],
    ["a collection index out of range", { v: 1, c: "USD", collectionIds: [], o: [{ k: "mm", i: "a", p: 0, c: 0, s: { c: [0] }, n: 2, v: ["%", 1000] }] }],
    ["duplicate ids", { v: 1, c: "USD", o: [{ k: "st", i: "a", p: 0, c: 0, r: [[1000, ["%", 1000]]] }, { k: "st", i: "a", p: 0, c: 0, r: [[1000, ["%", 1000]]] }] }],
    ["null", null],
  ])("refuses a configuration with %s", (_, value) => {
    expect(decodeFunctionConfiguration(value)).toBeNull();
  });
});
