import { describe, expect, it } from "vitest";
import { renderAdminPage } from "../../tests/support/render-admin-page";
import Dashboard, { type loader } from "./app._index";

type LoaderData = Awaited<ReturnType<typeof loader>>;

/** The dashboard page as the merchant reads it (text only), rendered from loader data. */
async function renderText(data: LoaderData): Promise<string> {
  return (await renderAdminPage({ path: "/app", url: "http://localhost/app", data, Component: Dashboard })).text;
}

const data: LoaderData = {
  shopName: "Test shop",
  checkoutDiscount: { status: "active", lastError: null },
  counts: { products: 3, orders: 3 },
  ignoredPeriod: null,
  dashboard: {
    currency: "USD",
    period: { days: 7, start: "2024-06-24T00:00:00.000Z", end: "2024-07-01T00:00:00.000Z", firstDay: "2024-06-24", lastDay: "2024-06-30", timeZone: "UTC", endsAtLatestOrder: false },
    orders: {
      orders: 3,
      revenue: 5000,
      attributedRevenue: 1000,
      ordersWithUpshelf: 1,
      attachRate: 1 / 3,
      averageOrderValueWithUpshelf: 2000,
      averageOrderValueWithoutUpshelf: 1500,
      daily: [{ day: "2024-06-30", orders: 3, revenue: 5000, attributedRevenue: 1000, ordersWithUpshelf: 1 }],
    },
    ordersInOtherCurrencies: 0,
    laterOrdersInOtherCurrencies: 0,
    demo: null,
    placements: [],
    dailyEvents: [],
    topOffers: [],
    topProducts: [],
    hasAnyData: true,
  },
} as unknown as LoaderData;

describe("the dashboard's copy", () => {
  it("does not call what buyers paid for items added through Upshelf revenue Upshelf brought: only a holdout test shows that", async () => {
    const text = await renderText(data);
    // The figure is what such items sold for; some would have sold anyway, which the page says.
    expect(text).toContain("Sales through Upshelf $10.00");
    expect(text).toContain(
      "What buyers paid for items they added through Upshelf (post-purchase offers included), of $50.00 in sales (after discounts and refunds, before shipping and tax). " +
        "Not all of it is extra: some buyers would have bought these items anyway. A holdout test (Holdout test page) measures what Upshelf adds.",
    );
    expect(text).toContain("Total $50.00, of which $10.00 for items added through Upshelf");
    expect(text).not.toMatch(/Revenue from Upshelf|From Upshelf/);
  });
});
