import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { BlockStack, Layout, Page } from "@shopify/polaris";
import { z } from "zod";
import { isCsvOnlyKey } from "~/core/catalog-keys";
import { BacktestCard } from "~/components/recommendations/backtest-card";
import { PlacementSettingsCard } from "~/components/recommendations/placement-settings-card";
import { PreviewCard } from "~/components/recommendations/preview-card";
import { RulesCard } from "~/components/recommendations/rules-card";
import {
  ALGORITHM_FIELDS,
  CHANGED_ELSEWHERE_MESSAGE,
  PLACEMENT_LIMIT_FIELDS,
  PLACEMENT_TEXT_FIELDS,
  PRICE_RANGE_FIELDS,
  readSettingsForm,
  settingsToFormValues,
} from "~/components/settings/settings-form";
import { addRecommendationRule, conflictingRuleMessage, deleteRecommendationRule, listRecommendationRules, productTitles } from "~/models/recommendation-rule.server";
import { rowIdSchema } from "~/models/integer-columns";
import { changeShopSettings, getShopSettings } from "~/models/shop-settings.server";
import { findShop } from "~/models/shop.server";
import { authenticateAdmin } from "~/services/admin-auth.server";
import { readAdminForm } from "~/services/admin-form.server";
import { syncWidgetDefaultsIfChanged } from "~/services/storefront-index-sync.server";
import { fieldErrors } from "~/services/http.server";
import { shopCurrency } from "~/services/offer-admin.server";
import { enqueueJob, latestJob } from "~/services/jobs.server";
import { applyMerchantChanges } from "~/services/recommendations.server";
import { requestFreshRebuild } from "~/services/recommendations-rebuild-job.server";
import { MAX_PREVIEW_PRODUCTS, previewRecommendations } from "~/services/recommendations-preview.server";
import { titleMeta } from "~/components/page-title";
import { keepDataWhenUnreachable, keepPageWhenUnreachable, unreachableMessage, unsavedMessage } from "~/components/unreachable";

/**
 * Recommendations: per-placement settings and algorithm knobs, merchant pins and exclusions, a
 * preview of every widget for any product or cart (`?preview=<product ids>`), and the backtest.
 */
const RECOMMENDATION_SETTINGS_FIELDS = [...PLACEMENT_TEXT_FIELDS, ...PLACEMENT_LIMIT_FIELDS, ...ALGORITHM_FIELDS, ...PRICE_RANGE_FIELDS];

const productIdText = z
  .string()
  .trim()
  .refine((id) => !isCsvOnlyKey(id), "This product is not in Shopify yet (it was imported from a CSV file), so buyers cannot see it. It can be chosen once Shopify's catalog sync brings it in.")
  .pipe(z.string().regex(/^\d{1,20}$/, "Choose a product."));
const previewSchema = z
  .string()
  .transform((value) => value.split(",").map((id) => id.trim()).filter(Boolean))
  .pipe(z.array(productIdText).max(MAX_PREVIEW_PRODUCTS, `Preview at most ${MAX_PREVIEW_PRODUCTS} products at once.`));

export const meta = () => titleMeta("Recommendations");

export async function loader({ request }: LoaderFunctionArgs) {
  const { shopId } = await authenticateAdmin(request);
  const url = new URL(request.url);
  const [settings, rules, backtest, currency, shop, rebuild] = await Promise.all([
    getShopSettings(shopId),
    listRecommendationRules(shopId),
    latestJob(shopId, "ranking_backtest"),
    shopCurrency(shopId),
    findShop(shopId),
    latestJob(shopId, "rebuild_recommendations"),
  ]);
  const asked = url.searchParams.get("preview");
  let preview = null;
  let previewError: string | null = null;
  if (asked !== null && asked.trim() !== "") {
    const ids = previewSchema.safeParse(asked);
    if (ids.success) preview = await previewRecommendations(shopId, ids.data, settings);
    else previewError = ids.error.issues[0]?.message ?? "These are not product ids.";
  }
  return {
    settings,
    currency,
    settingsValues: settingsToFormValues(settings, RECOMMENDATION_SETTINGS_FIELDS, { currency }),
    rules,
    preview,
    previewError,
    // Times are shown in the shop's zone, formatted alike on the server and in the browser.
    timeZone: shop?.timeZone ?? "UTC",
    // An import, a backfill or a new half-life changes what the preview shows only once its rebuild is done.
    rebuilding: rebuild !== null && (rebuild.status === "queued" || rebuild.status === "running"),
    backtest: backtest && {
      id: backtest.id,
      status: backtest.status,
      progressDone: backtest.progressDone,
      progressTotal: backtest.progressTotal,
      result: backtest.result,
      error: backtest.error,
      finishedAt: backtest.finishedAt?.toISOString() ?? null,
    },
  };
}

const ruleSchema = z
  .object({
    kind: z.enum(["pin", "exclude"], { message: "Choose whether to pin or exclude the product." }),
    scope: z.enum(["all", "product"], { message: "Choose where the rule applies." }),
    anchorProductId: z.string().trim().optional(),
    productId: productIdText,
  })
  .superRefine((rule, ctx) => {
    if (rule.scope !== "product") return;
    if (!rule.anchorProductId || !/^\d{1,20}$/.test(rule.anchorProductId)) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["anchorProductId"], message: "Choose the product whose recommendations this rule changes." });
    } else if (rule.anchorProductId === rule.productId) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["productId"], message: "A product is never recommended on its own page." });
    }
  });

function invalid(intent: string, fields: Record<string, string[]>, values: Record<string, string>) {
  return data({ intent, ok: false as const, message: "Fix the highlighted fields.", fields, values }, { status: 400 });
}

export async function action({ request }: ActionFunctionArgs) {
  const { shopId } = await authenticateAdmin(request);
  const form = await readAdminForm(request);
  const intent = String(form.get("intent") ?? "");

  if (intent === "save-settings") {
    const currency = await shopCurrency(shopId);
    // Only the fields changed on this page are written over today's settings.
    const { previous: current, outcome: result } = await changeShopSettings(shopId, (settings) => {
      const read = readSettingsForm(form, settings, RECOMMENDATION_SETTINGS_FIELDS, { currency });
      return { next: read.ok ? read.settings : null, outcome: read };
    });
    if (!result.ok && result.conflict) {
      return data({ intent, ok: false as const, message: CHANGED_ELSEWHERE_MESSAGE, fields: result.fields, values: result.values, baseline: result.baseline }, { status: 409 });
    }
    if (!result.ok) return invalid(intent, result.fields, result.values);
    // Placements on or off, their limits, the diversity limit, the price range and learning serve
    // at once. The half-life shapes the co-purchase statistics, so it needs a rebuild.
    await applyMerchantChanges(shopId);
    const before = current.recommendations;
    const after = result.settings.recommendations;
    const rebuild = after.halfLifeDays !== before.halfLifeDays;
    if (rebuild) await requestFreshRebuild(shopId, "half_life_changed");
    // Headings reach the theme's blocks through their app-data metafield.
    const storefront = await syncWidgetDefaultsIfChanged(shopId, current, result.settings);
    const saved = rebuild ? "Saved. The model is being rebuilt with the new half-life." : "Saved.";
    return {
      intent,
      ok: true as const,
      message: storefront.ok ? saved : `${saved} The storefront still shows the old headings: ${storefront.errors.join(" ")}`,
      fields: {},
      values: result.values,
    };
  }

  if (intent === "add-rule") {
    const values = Object.fromEntries(["kind", "scope", "anchorProductId", "productId"].map((name) => [name, String(form.get(name) ?? "")]));
    const parsed = ruleSchema.safeParse(values);
    if (!parsed.success) return invalid(intent, fieldErrors(parsed.error.issues), values);
    const rule = {
      kind: parsed.data.kind,
      anchorProductId: parsed.data.scope === "product" ? (parsed.data.anchorProductId ?? "") : "",
      productId: parsed.data.productId,
    };
    const known = await productTitles(shopId, rule.anchorProductId ? [rule.productId, rule.anchorProductId] : [rule.productId]);
    const fields: Record<string, string[]> = {};
    if (!known.has(rule.productId)) fields.productId = ["This shop has no such product."];
    if (rule.anchorProductId && !known.has(rule.anchorProductId)) fields.anchorProductId = ["This shop has no such product."];
    const conflict = await conflictingRuleMessage(shopId, rule);
    if (conflict) fields.productId = [conflict];
    if (Object.keys(fields).length > 0) return invalid(intent, fields, values);
    await addRecommendationRule(shopId, rule);
    await applyMerchantChanges(shopId);
    return { intent, ok: true as const, message: rule.kind === "pin" ? "Pinned." : "Excluded.", fields: {}, values: {} };
  }

  if (intent === "delete-rule") {
    const id = rowIdSchema.safeParse(form.get("ruleId"));
    if (!id.success) return invalid(intent, { ruleId: ["Name the rule to remove."] }, {});
    const deleted = await deleteRecommendationRule(shopId, id.data);
    if (!deleted) {
      return data({ intent, ok: false as const, message: "That rule does not exist (it may have been removed already).", fields: {}, values: {} }, { status: 404 });
    }
    await applyMerchantChanges(shopId);
    return { intent, ok: true as const, message: "Rule removed.", fields: {}, values: {} };
  }

  if (intent === "run-backtest") {
    // A second click while one runs returns the running job rather than starting another.
    const job = await enqueueJob(shopId, "ranking_backtest", {}, { reuseActive: true });
    return { intent, ok: true as const, message: "Backtest started.", fields: {}, values: {}, jobId: job.id };
  }

  return data({ intent, ok: false as const, message: `Unknown action "${intent}".`, fields: {}, values: {} }, { status: 400 });
}

// What may or may not have happened; saving the settings again saves once (their baseline).
const WHAT_MAY_HAVE_HAPPENED: Record<string, string> = {
  "save-settings": unsavedMessage("your changes"),
  "add-rule": unreachableMessage({ outcome: "the rule may or may not have been added", kept: "It is still filled in" }),
  "delete-rule": unreachableMessage({ outcome: "the rule may or may not have been removed" }),
  "run-backtest": unreachableMessage({ outcome: "the backtest may or may not have started" }),
};

/**
 * The backtest card refreshes the page while its job runs: a refresh that gets no answer keeps the
 * page as it was, and what is being typed in its other cards.
 */
export const clientLoader = keepDataWhenUnreachable();

/**
 * A submission that never reached Upshelf: the card that sent it keeps what was typed and says so
 * (docs/decisions/0013). Its `intent` tells the cards' answers apart, as the server's do.
 */
export const clientAction = keepPageWhenUnreachable(({ intent }) => {
  const message = WHAT_MAY_HAVE_HAPPENED[intent] ?? unreachableMessage({ outcome: "that may or may not have been done" });
  return { intent, ok: false as const, message, fields: {} as Record<string, string[]>, values: {} as Record<string, string> };
});

export default function Recommendations() {
  const { settings, currency, settingsValues, rules, preview, previewError, timeZone, rebuilding, backtest } = useLoaderData<typeof loader>();
  return (
    <Page title="Recommendations" subtitle="What each widget shows, and why">
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <PreviewCard preview={preview} previewError={previewError} timeZone={timeZone} rebuilding={rebuilding} />
            <RulesCard rules={rules} />
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <BlockStack gap="400">
            <PlacementSettingsCard values={settingsValues} settings={settings} currency={currency} />
            <BacktestCard job={backtest} />
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
