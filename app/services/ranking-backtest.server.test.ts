import { beforeEach, describe, expect, it, vi } from "vitest";
import { describeBacktest } from "~/core/analytics";
import type * as Catalog from "~/models/catalog.server";
import type { HistoryOrder } from "~/models/order-history.server";
import { runRankingBacktest } from "./ranking-backtest.server";

/** The shop's data as the backtest reads it; the ranking and the bootstrap run for real. */
const shop = vi.hoisted(() => ({ currency: "USD", orders: [] as HistoryOrder[], cards: [] as Catalog.ProductCard[] }));

vi.mock("~/models/shop.server", () => ({
  async findShop() {
    return { currency: shop.currency };
  },
}));

vi.mock("~/models/order-history.server", () => ({
  async *orderHistoryPages() {
    yield shop.orders;
  },
}));
vi.mock("~/models/catalog.server", async (importActual) => ({
  ...(await importActual<typeof Catalog>()),
  async *productCardPages() {
    yield shop.cards;
  },
}));

const DAY_MS = 24 * 60 * 60 * 1000;
const start = Date.UTC(2025, 0, 1);
let nextId = 1;

function order(day: number, ...productIds: string[]): HistoryOrder {
  return inCurrency("USD", day, ...productIds);
}

function inCurrency(currency: string, day: number, ...productIds: string[]): HistoryOrder {
  return {
    id: String(nextId++),
    createdAt: start + day * DAY_MS,
    cancelled: false,
    currency,
    lines: productIds.map((productId) => ({ productId, quantity: 1, unitPrice: 1_000 })),
  };
}

function card(productId: string): Catalog.ProductCard {
  return {
    productId,
    variantId: `${productId}-v`,
    variantIds: [`${productId}-v`],
    handle: productId,
    title: productId,
    productType: "",
    vendor: "",
    tags: [],
    description: "",
    price: 1_000,
    compareAtPrice: null,
    currency: "USD",
    imageUrl: null,
    available: true,
    published: true,
  };
}

/**
 * Best-sellers (bought alone) hit once in the test weeks while Upshelf hits again and again, so
 * many resamples leave out that one hit: best-sellers score 0 there and the upper bound is infinite.
 */
function shopWhereBestSellersHitOnce(): void {
  const sellers = ["s1", "s2", "s3", "s4", "s5"];
  shop.cards = [...sellers, "a", "b", "c"].map(card);
  shop.orders = [];
  for (let day = 0; day < 60; day++) {
    for (const seller of sellers) shop.orders.push(order(day, seller), order(day, seller));
    shop.orders.push(order(day, "a", "b"));
  }
  shop.orders.push(order(60, "c"));
  for (let day = 70; day < 90; day++) shop.orders.push(order(day, "a", "b"));
  shop.orders.push(order(90, "s1", "c"));
}

describe("runRankingBacktest", () => {
  beforeEach(shopWhereBestSellersHitOnce);

  it("GIVEN an interval without an upper bound THEN stores it as an explicit null that survives JSON", async () => {
    const result = await runRankingBacktest("shop", { testDays: 28, k: 5 });
    if (result.status !== "done") throw new Error(`expected a finished backtest, got ${JSON.stringify(result)}`);
    expect(result.cart.interval?.high).toBeNull();
    expect(result.cart.interval?.low).toEqual(expect.any(Number));
    // The job stores its result as JSON: what the merchant reads must be what was computed.
    const stored = JSON.parse(JSON.stringify(result)) as typeof result;
    expect(stored).toEqual(result);
    expect(describeBacktest(stored).details.join("\n")).toMatch(/Cart: resampling the test orders, Upshelf's picks were right at least \d+\.\d times as often/);
  });

  describe("GIVEN a sample of orders in another currency, newer than the shop's own history", () => {
    /** 19 EUR orders of products the shop does not sell, a year after its last USD order. */
    const foreignSample = () => Array.from({ length: 19 }, (_, index) => inCurrency("EUR", 400 + (index % 5), `eur-${index}`, `eur-${index + 1}`));

    it("WHEN the backtest runs THEN its window ends at the shop's latest order in its own currency, not the sample's", async () => {
      shop.orders.push(...foreignSample());
      const result = await runRankingBacktest("shop", { testDays: 28, k: 5 });
      if (result.status !== "done") throw new Error(`expected a finished backtest, got ${JSON.stringify(result)}`);
      expect(result.testUntil).toBe(start + 90 * DAY_MS);
      expect(result.testFrom).toBe(start + 62 * DAY_MS);
      // Days 70 to 89 (a, b) and day 90 (s1, c): the sample is in neither the training nor the test.
      expect(result.testOrders).toBe(21);
    });

    it("WHEN an order in another currency falls inside the window THEN it counts like any basket", async () => {
      shop.orders.push(inCurrency("EUR", 80, "a", "b"), ...foreignSample());
      const result = await runRankingBacktest("shop", { testDays: 28, k: 5 });
      if (result.status !== "done") throw new Error(`expected a finished backtest, got ${JSON.stringify(result)}`);
      expect(result.testOrders).toBe(22);
    });

    it("WHEN the shop's own history is too short THEN the message counts the shop's orders and says the sample was left out", async () => {
      shop.orders = shop.orders.filter((entry) => entry.createdAt >= start + 58 * DAY_MS);
      shop.orders.push(...foreignSample());
      const result = await runRankingBacktest("shop", { testDays: 28, k: 5 });
      expect(result).toEqual({
        status: "not_enough_data",
        reason:
          "Only 23 orders were placed before the last 28 days; the backtest needs at least 50. (19 orders in another currency, placed after the shop's latest USD order, are left out.)",
      });
    });
  });
});
