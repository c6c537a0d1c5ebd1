import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { BlockStack, Layout, Page } from "@shopify/polaris";
import {
  APPEARANCE_FIELDS,
  CHANGED_ELSEWHERE_MESSAGE,
  PLACEMENT_TEXT_FIELDS,
  POST_PURCHASE_FIELDS,
  readSettingsForm,
  settingsToFormValues,
} from "~/components/settings/settings-form";
import { SettingsPageForm } from "~/components/settings/settings-page-form";
import { StorefrontBlocksSection, type StorefrontBlockEntry } from "~/components/settings/storefront-blocks-section";
import { demoStorefrontLink, STOREFRONT_BLOCKS, themeEditorLink } from "~/core/storefront-blocks";
import { getEnv } from "~/env.server";
import { changeShopSettings, getShopSettings } from "~/models/shop-settings.server";
import { applyMerchantChanges } from "~/services/recommendations.server";
import { authenticateAdmin } from "~/services/admin-auth.server";
import { readAdminForm } from "~/services/admin-form.server";
import { syncWidgetDefaultsIfChanged } from "~/services/storefront-index-sync.server";
import { titleMeta } from "~/components/page-title";
import { keepPageWhenUnreachable, unsavedMessage } from "~/components/unreachable";

/** Settings: widget text and appearance defaults, placements on/off, currency display, post-purchase rules. */
const SETTINGS_PAGE_FIELDS = [...PLACEMENT_TEXT_FIELDS, ...APPEARANCE_FIELDS, ...POST_PURCHASE_FIELDS];

export const meta = () => titleMeta("Settings");

export async function loader({ request }: LoaderFunctionArgs) {
  const { shopId, mode } = await authenticateAdmin(request);
  const settings = await getShopSettings(shopId);
  return { values: settingsToFormValues(settings, SETTINGS_PAGE_FIELDS), blocks: storefrontBlocks(shopId, mode), demo: mode === "demo" };
}

/** Each storefront block with the link that places it in the shop's theme, or shows it on the demo storefront. */
function storefrontBlocks(shopId: string, mode: "demo" | "shopify"): StorefrontBlockEntry[] {
  const env = getEnv();
  return STOREFRONT_BLOCKS.map((block) => ({
    handle: block.handle,
    name: block.name,
    shows: block.shows,
    where: block.kind === "embed" ? "Every page" : block.template === "cart" ? "Cart page" : "Product pages",
    action: mode === "demo" ? "See it" : block.kind === "embed" ? "Turn on in your theme" : `Add to your ${block.template} page`,
    url: mode === "demo" || env.mode !== "shopify" ? demoStorefrontLink(block) : linkOrNull(() => themeEditorLink(shopId, env.apiKey, block)),
  }));
}

/** A link that cannot be built (a shop domain or API key it refuses) leaves its block without a button, not the page broken. */
function linkOrNull(build: () => string): string | null {
  try {
    return build();
  } catch {
    return null;
  }
}

export async function action({ request }: ActionFunctionArgs) {
  const { shopId } = await authenticateAdmin(request);
  const form = await readAdminForm(request);
  // Only the fields changed on this page are written over today's settings; saving the same form
  // twice stores the same settings.
  const { previous, outcome: result } = await changeShopSettings(shopId, (current) => {
    const read = readSettingsForm(form, current, SETTINGS_PAGE_FIELDS);
    return { next: read.ok ? read.settings : null, outcome: read };
  });
  if (!result.ok && result.conflict) {
    return data({ ok: false, message: CHANGED_ELSEWHERE_MESSAGE, fields: result.fields, values: result.values, baseline: result.baseline }, { status: 409 });
  }
  if (!result.ok) {
    return data({ ok: false, message: "The settings were not saved: fix the fields below.", fields: result.fields, values: result.values }, { status: 400 });
  }
  // Placements turned on or off reach the storefront's recommendations at once; headings, the
  // accent colour and compare-at prices reach the theme's blocks through their app-data metafield.
  await applyMerchantChanges(shopId);
  const storefront = await syncWidgetDefaultsIfChanged(shopId, previous, result.settings);
  const message = storefront.ok ? "Settings saved." : `Settings saved, but the storefront still shows the old ones: ${storefront.errors.join(" ")}`;
  return { ok: true, message, fields: {} as Record<string, string[]>, values: result.values };
}

/** A save that never reached Upshelf: the form keeps what was typed and says so (docs/decisions/0013). */
export const clientAction = keepPageWhenUnreachable(() => ({
  ok: false as const,
  message: unsavedMessage("the settings"),
  fields: {} as Record<string, string[]>,
  values: {} as Record<string, string>,
}));

export default function Settings() {
  const { values, blocks, demo } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <Page title="Settings" subtitle="How Upshelf's widgets look and where they appear">
      <BlockStack gap="800">
        <SettingsPageForm saved={values} actionData={actionData} />
        <Layout>
          <StorefrontBlocksSection blocks={blocks} demo={demo} />
        </Layout>
      </BlockStack>
    </Page>
  );
}
