import { describe, expect, it } from "vitest";
import { ALGORITHM_FIELDS, PLACEMENT_LIMIT_FIELDS, PLACEMENT_TEXT_FIELDS, PRICE_RANGE_FIELDS, settingsToFormValues } from "~/components/settings/settings-form";
import { DEFAULT_SHOP_SETTINGS, PLACEMENT_KEYS, PLACEMENT_NAMES, type ShopSettings } from "~/core/settings";
import type { ServedRecommendation } from "~/services/recommendations.server";
import { renderAdminPage } from "../../tests/support/render-admin-page";
import RecommendationsPage, { type loader } from "./app.recommendations";

type LoaderData = Awaited<ReturnType<typeof loader>>;

const FIELDS = [...PLACEMENT_TEXT_FIELDS, ...PLACEMENT_LIMIT_FIELDS, ...ALGORITHM_FIELDS, ...PRICE_RANGE_FIELDS];

function item(n: number): ServedRecommendation {
  return {
    productId: String(100 + n),
    variantId: String(200 + n),
    handle: `item-${n}`,
    title: `Item ${n}`,
    price: { amount: 1000, currency: "GBP" },
    compareAtPrice: null,
    image: null,
    score: 1,
    reason: { kind: "from_shop" },
    reasonText: "More from this shop",
    propensity: 1,
  };
}

/** The page for a shop with these settings, previewing one product: what the merchant reads. */
async function render(settings: ShopSettings): Promise<{ text: string; html: string }> {
  const data: LoaderData = {
    settings,
    currency: "GBP",
    settingsValues: settingsToFormValues(settings, FIELDS, { currency: "GBP" }),
    rules: [],
    preview: {
      modelVersion: "v1",
      modelBuiltAt: "2026-12-07T10:00:00.000Z",
      modelOrderCount: 1200,
      learnsFromFeedback: false,
      anchors: [{ productId: "1", title: "Regency cakestand 3 tier" }],
      unknown: [],
      widgets: PLACEMENT_KEYS.map((placement) => {
        const { enabled, heading, limit } = settings.placements[placement];
        const context = placement === "pdp" ? "product" : placement === "cart" ? "cart" : "order";
        const items = Array.from({ length: context === "order" ? 1 : limit }, (_, index) => item(index));
        return { placement, name: PLACEMENT_NAMES[placement], enabled, heading, limit, context, items };
      }),
    },
    previewError: null,
    timeZone: "UTC",
    rebuilding: false,
    backtest: null,
  };
  return renderAdminPage({ path: "/app/recommendations", url: "http://localhost/app/recommendations?preview=1", data, Component: RecommendationsPage });
}

/** The value the page's field named `name` shows. */
function fieldValue(html: string, name: string): string | undefined {
  const input = new RegExp(`<input\\b[^>]*\\bname="${name.replace(/\./g, "\\.")}"[^>]*>`).exec(html)?.[0];
  return input ? /\bvalue="([^"]*)"/.exec(input)?.[1] : undefined;
}

describe("the Recommendations page's item counts", () => {
  it("GIVEN a new shop THEN its item counts are what the theme blocks show by default: 2 on product pages, 3 in the cart", async () => {
    const { text, html } = await render(DEFAULT_SHOP_SETTINGS);
    expect(fieldValue(html, "placements.pdp.limit")).toBe("2");
    expect(fieldValue(html, "placements.cart.limit")).toBe("3");
    expect(text).toContain("Product page of the first product · up to 2 items");
    expect(text).toContain("A cart holding every product · up to 3 items");
  });

  it("says every widget's count is a most, and what the blocks show by default, the cart drawer's 2 included", async () => {
    const { text } = await render(DEFAULT_SHOP_SETTINGS);
    expect(text).not.toContain("exactly what a buyer would see");
    expect(text).toContain("up to the widget's number of items, and why. A theme block set to fewer items shows fewer.");
    expect(text).toContain("A theme block set to fewer than 2 shows fewer: by default the product page's block shows 2.");
    expect(text).toContain("A theme block set to fewer than 3 shows fewer: by default the cart page's block shows 3 and the cart drawer's 2.");
    // The settings' help says the same beside each count.
    expect(text).toContain("Each theme block shows the fewer of this and its own number of items, set in the theme editor: by default the product page's block shows 2.");
    expect(text).toContain("set in the theme editor: by default the cart page's block shows 3 and the cart drawer's 2.");
  });

  it("GIVEN a raised count after checkout THEN the page says those surfaces show one offer whatever it is, rather than promise more", async () => {
    const placements = DEFAULT_SHOP_SETTINGS.placements;
    const raised = { ...DEFAULT_SHOP_SETTINGS, placements: { ...placements, post_purchase: { ...placements.post_purchase, limit: 4 }, thank_you: { ...placements.thank_you, limit: 3 } } };
    const { text, html } = await render(raised);
    expect(fieldValue(html, "placements.post_purchase.limit")).toBe("4");
    expect(text).toContain("An order of every product · one offer");
    expect(text).not.toContain("An order of every product · up to");
    expect(text).toContain("At most, for the recommendations API. Upshelf's offer after checkout and its thank-you block show one offer whatever this number.");
    expect(text).not.toContain("At most; a theme block set to fewer shows fewer.");
  });

  it("GIVEN a merchant who raised the product page's count to 5 THEN the preview does not let it pass for what buyers see", async () => {
    const raised = { ...DEFAULT_SHOP_SETTINGS, placements: { ...DEFAULT_SHOP_SETTINGS.placements, pdp: { ...DEFAULT_SHOP_SETTINGS.placements.pdp, limit: 5 } } };
    const { text, html } = await render(raised);
    expect(fieldValue(html, "placements.pdp.limit")).toBe("5");
    expect(text).toContain("Product page of the first product · up to 5 items");
    expect(text).toContain("A theme block set to fewer than 5 shows fewer: by default the product page's block shows 2.");
  });
});
