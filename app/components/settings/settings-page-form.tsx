import { Form, useNavigation } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, Checkbox, FormLayout, InlineStack, Layout, Text, TextField } from "@shopify/polaris";
import { useRef } from "react";
import { MAX_PRICE_SHARE_OF_ORDER, PLACEMENT_KEYS, PLACEMENT_NAMES } from "~/core/settings";
import { useUnsavedChanges } from "~/components/unsaved-changes/use-unsaved-changes";
import { settingsFieldBinders } from "./field-binders";
import { BASELINE_FIELD, type FormValues } from "./settings-form";
import { useSettingsForm, type SettingsSaveOutcome } from "./use-settings-form";

export type SettingsActionData = SettingsSaveOutcome;

/** The Settings page's one form: widget text, placements on/off, appearance and post-purchase rules. */
export function SettingsPageForm({ saved, actionData: lastOutcome }: { saved: FormValues; actionData: SettingsActionData | undefined }) {
  const navigation = useNavigation();
  const submitting = navigation.state === "submitting";
  const form = useRef<HTMLFormElement>(null);
  const { values, setValues, baselineJson, dirty, shown: actionData, discard } = useSettingsForm(saved, lastOutcome, navigation.state === "idle");
  const unsaved = useUnsavedChanges({ id: "settings-save-bar", dirty, saving: submitting, onSave: () => form.current?.requestSubmit(), onDiscard: discard });

  const error = (name: string) => actionData?.fields[name]?.[0];
  const { text, checkbox } = settingsFieldBinders(values, setValues, error);

  return (
    <Form method="post" ref={form} noValidate>
      <input type="hidden" name={BASELINE_FIELD} value={baselineJson} />
      <Layout>
        {actionData && !(actionData.ok && dirty) ? (
          <Layout.Section>
            <Banner tone={actionData.ok ? "success" : "critical"} title={actionData.message}>
              {actionData.ok ? null : (
                <ul>
                  {Object.entries(actionData.fields).map(([field, messages]) => (
                    <li key={field}>{messages.join(" ")}</li>
                  ))}
                </ul>
              )}
            </Banner>
          </Layout.Section>
        ) : null}
        <Layout.AnnotatedSection title="Widgets" description="Where Upshelf appears and the heading above each widget.">
          <Card>
            <BlockStack gap="400">
              {PLACEMENT_KEYS.map((key) => (
                <BlockStack gap="200" key={key}>
                  <Checkbox label={`${PLACEMENT_NAMES[key]}: on`} {...checkbox(`placements.${key}.enabled`)} />
                  <TextField label={`${PLACEMENT_NAMES[key]} heading`} maxLength={80} {...text(`placements.${key}.heading`)} />
                </BlockStack>
              ))}
            </BlockStack>
          </Card>
        </Layout.AnnotatedSection>
        <Layout.AnnotatedSection title="Appearance" description="Defaults for every widget; the theme editor can still override them per block.">
          <Card>
            <FormLayout>
              <TextField
                label="Accent colour"
                placeholder="#1a73e8"
                helpText="A colour like #1a73e8 for buttons and highlights; leave empty to follow the theme."
                {...text("appearance.accentColour")}
              />
              <Checkbox
                label="Show compare-at prices (the price before a sale)"
                helpText="Turned off, no widget shows them, whatever a block says in the theme editor."
                {...checkbox("appearance.showCompareAtPrice")}
              />
            </FormLayout>
          </Card>
        </Layout.AnnotatedSection>
        <Layout.AnnotatedSection title="Post-purchase offer" description="The one-click offer after checkout.">
          <Card>
            <FormLayout>
              <TextField
                label="Discount (%)"
                type="number"
                min={0}
                max={90}
                step={0.01}
                helpText="0 offers the product at full price. The thank-you page never promises a discount."
                {...text("postPurchase.discountPercent")}
              />
              <TextField
                label="Most expensive offer, as a share of the order (%)"
                type="number"
                min={1}
                max={MAX_PRICE_SHARE_OF_ORDER}
                helpText="50 offers only products costing at most half of what the buyer just spent."
                {...text("postPurchase.maxPriceShareOfOrder")}
              />
            </FormLayout>
          </Card>
        </Layout.AnnotatedSection>
        <Layout.Section>
          <InlineStack align="end">
            <Button submit variant="primary" loading={submitting} disabled={submitting}>
              Save settings
            </Button>
          </InlineStack>
          <Text as="p" variant="bodySm" tone="subdued">
            Item counts and ranking options are on the Recommendations page.
          </Text>
        </Layout.Section>
      </Layout>
      {/* The save bar or the leave dialog; the save bar's buttons are type "button", so they never submit this form. */}
      {unsaved.element}
    </Form>
  );
}
