import { useFetcher } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, Checkbox, Divider, FormLayout, InlineStack, Text, TextField } from "@shopify/polaris";
import { useRef } from "react";
import { PLACEMENT_KEYS, PLACEMENT_NAMES, type PlacementKey, type ShopSettings } from "~/core/settings";
import { blockItemsDefaultsText } from "~/core/storefront-blocks";
import { settingsFieldBinders } from "~/components/settings/field-binders";
import { BASELINE_FIELD, type FormValues } from "~/components/settings/settings-form";
import { useSettingsForm } from "~/components/settings/use-settings-form";
import { useUnsavedChanges } from "~/components/unsaved-changes/use-unsaved-changes";
import { firstError, type ActionResult } from "./action-result";

/**
 * A theme block asks for its own number of items (set in the theme editor) and is served at most
 * this one, so a buyer sees the fewer: raising this alone shows no more on a block set lower.
 * After checkout no theme block shows: Upshelf's own offer page and thank-you block show one offer.
 */
function itemsHelp(key: PlacementKey): string {
  const blocks = blockItemsDefaultsText(key);
  return blocks === null
    ? "At most, for the recommendations API. Upshelf's offer after checkout and its thank-you block show one offer whatever this number."
    : `At most. Each theme block shows the fewer of this and its own number of items, set in the theme editor: ${blocks}.`;
}

/**
 * Per-placement on/off, heading and item count, and the ranking knobs, with safe defaults.
 * `currency`: the shop's, which the price range is entered in.
 */
export function PlacementSettingsCard({ values: saved, currency }: { values: FormValues; settings: ShopSettings; currency: string }) {
  const fetcher = useFetcher<ActionResult>();
  const form = useRef<HTMLFormElement>(null);
  const fetched = fetcher.state === "idle" && fetcher.data?.intent === "save-settings" ? fetcher.data : undefined;
  const { values, setValues, baselineJson, dirty, shown: result, discard } = useSettingsForm(saved, fetched, true);
  const saving = fetcher.state !== "idle";
  const unsaved = useUnsavedChanges({ id: "placement-settings-save-bar", dirty, saving, onSave: () => form.current?.requestSubmit(), onDiscard: discard });

  const { text, checkbox } = settingsFieldBinders(values, setValues, (name) => firstError(result, name));

  return (
    <Card>
      {unsaved.element}
      <fetcher.Form method="post" ref={form} noValidate>
        <input type="hidden" name="intent" value="save-settings" />
        <input type="hidden" name={BASELINE_FIELD} value={baselineJson} />
        <BlockStack gap="400">
          <Text as="h2" variant="headingMd">
            Placements
          </Text>
          {PLACEMENT_KEYS.map((key) => (
            <BlockStack gap="200" key={key}>
              <Checkbox label={`Show on the ${PLACEMENT_NAMES[key].toLowerCase()}`} {...checkbox(`placements.${key}.enabled`)} />
              <FormLayout>
                <FormLayout.Group condensed>
                  <TextField label={`${PLACEMENT_NAMES[key]} heading`} {...text(`placements.${key}.heading`)} maxLength={80} />
                  <TextField label={`${PLACEMENT_NAMES[key]} items`} type="number" min={1} max={12} helpText={itemsHelp(key)} {...text(`placements.${key}.limit`)} />
                </FormLayout.Group>
              </FormLayout>
            </BlockStack>
          ))}
          <Divider />
          <Text as="h2" variant="headingMd">
            Ranking
          </Text>
          <TextField
            label="Half-life of past orders (days)"
            type="number"
            min={7}
            max={3650}
            helpText="An order this many days old counts half as much as today's. Default 90; changing it rebuilds the model."
            {...text("recommendations.halfLifeDays")}
          />
          <TextField
            label="At most this many items of one product type"
            type="number"
            min={1}
            max={12}
            helpText="Keeps a widget from showing only one kind of product. Default 2."
            {...text("recommendations.maxPerProductType")}
          />
          <BlockStack gap="100">
            <FormLayout>
              <FormLayout.Group condensed>
                <TextField label="Lowest price" inputMode="decimal" suffix={currency} placeholder="No limit" {...text("recommendations.priceRange.min")} />
                <TextField label="Highest price" inputMode="decimal" suffix={currency} placeholder="No limit" {...text("recommendations.priceRange.max")} />
              </FormLayout.Group>
            </FormLayout>
            <Text as="p" variant="bodyMd" tone="subdued">
              Products priced outside this range are not recommended on any placement, nor offered after checkout. Products you pinned are
              not limited by this range. Leave a field empty for no limit.
            </Text>
          </BlockStack>
          <Checkbox
            label="Learn from buyers' clicks and adds"
            helpText="Tries promising items now and then and keeps those buyers choose. Default on."
            {...checkbox("recommendations.learnFromFeedback")}
          />
          {result && !(result.ok && dirty) ? <Banner tone={result.ok ? "success" : "critical"}>{result.message}</Banner> : null}
          <InlineStack align="end">
            <Button submit variant="primary" loading={saving} disabled={saving}>
              Save
            </Button>
          </InlineStack>
        </BlockStack>
      </fetcher.Form>
    </Card>
  );
}
