/**
 * The type-specific part of the offer form: one section per offer type. Each edits the shared
 * draft through `update` and shows the errors of its own fields.
 */
import { BlockStack, Button, Card, FormLayout, InlineError, InlineStack, Select, Text, TextField } from "@shopify/polaris";
import { useRef, type ReactNode } from "react";
import { currencyDecimals } from "~/core/money";
import { ItemList, mergeItems, priceLabel } from "./item-list";
import { unpricedSteps, type DraftErrors, type OfferDraft, type PricingKind, type TierValueKind } from "./offer-draft";
import { ProductPicker } from "./product-picker";
import { switchIncentiveKind, switchPricingKind, switchTierKind, type ValueKindMemory } from "./value-kind-memory";

export interface SectionProps {
  readonly draft: OfferDraft;
  readonly update: (patch: Partial<OfferDraft>, touched?: string[]) => void;
  readonly errors: DraftErrors;
  readonly mode: "demo" | "shopify";
  readonly currency: string;
}

function moneyPlaceholder(currency: string): string {
  return currencyDecimals(currency) === 0 ? "1250" : currencyDecimals(currency) === 3 ? "12.500" : "12.50";
}

function ValueField({
  id,
  label,
  kind,
  value,
  onChange,
  error,
  currency,
}: {
  id: string;
  label: string;
  kind: "percentage" | "money";
  value: string;
  onChange: (value: string) => void;
  error?: string;
  currency: string;
}) {
  return (
    <TextField
      id={id}
      label={label}
      value={value}
      onChange={onChange}
      error={error}
      autoComplete="off"
      inputMode="decimal"
      suffix={kind === "percentage" ? "%" : currency}
      placeholder={kind === "percentage" ? "10" : moneyPlaceholder(currency)}
    />
  );
}

/**
 * Switches a value's kind through `change`, remembering what was typed under each kind (see
 * value-kind-memory): a typed "10" never changes meaning from 10% to 10.00.
 */
function useKindSwitch<K>(
  draft: OfferDraft,
  update: SectionProps["update"],
  touched: string,
  change: (draft: OfferDraft, kind: K, memory: ValueKindMemory) => { patch: Partial<OfferDraft>; memory: ValueKindMemory },
): (kind: K) => void {
  const memory = useRef<ValueKindMemory>({});
  return (kind) => {
    const switched = change(draft, kind, memory.current);
    memory.current = switched.memory;
    update(switched.patch, [touched]);
  };
}

function PricingFields({ draft, update, errors, currency, what }: SectionProps & { what: string }) {
  const changeKind = useKindSwitch(draft, update, "pricing", switchPricingKind);
  const options: { label: string; value: PricingKind }[] = [
    { label: "Percentage off", value: "percentage" },
    { label: `Amount off each ${what}`, value: "amountOff" },
    { label: `Fixed price per ${what}`, value: "fixedPrice" },
  ];
  return (
    <FormLayout.Group>
      <Select
        id="pricing-kind"
        label="Discount"
        options={options}
        value={draft.pricingKind}
        onChange={(value) => changeKind(value as PricingKind)}
      />
      <ValueField
        id="pricing-value"
        label={draft.pricingKind === "percentage" ? "Percentage" : draft.pricingKind === "amountOff" ? "Amount off" : "Price"}
        kind={draft.pricingKind === "percentage" ? "percentage" : "money"}
        value={draft.pricingValue}
        onChange={(pricingValue) => update({ pricingValue }, ["pricing"])}
        error={errors.pricing}
        currency={currency}
      />
    </FormLayout.Group>
  );
}

function LimitField({ draft, update, errors, label }: SectionProps & { label: string }) {
  return (
    <TextField
      id="max-per-order"
      label={label}
      helpText="Leave empty for no limit."
      value={draft.maxPerOrder}
      onChange={(maxPerOrder) => update({ maxPerOrder }, ["maxPerOrder"])}
      error={errors.maxPerOrder}
      autoComplete="off"
      inputMode="numeric"
    />
  );
}

/**
 * A picked item's row: its title and price, then its controls (fields and buttons). The controls
 * sit beside the title where the card has room and wrap under it where it has not (a 360 px
 * phone), so no control is cut off and a title is never squeezed to a word a line.
 */
function ItemRow({ details, controls }: { details: ReactNode; controls: ReactNode }) {
  return (
    <div style={{ display: "flex", flexWrap: "wrap", alignItems: "flex-end", justifyContent: "space-between", gap: "var(--p-space-200) var(--p-space-300)" }}>
      {/* The title takes the room the controls leave; alone on its line, it takes the whole line. */}
      <div style={{ flex: "999 1 12rem", minWidth: 0 }}>{details}</div>
      <div style={{ flex: "1 1 auto", display: "flex", flexWrap: "wrap", alignItems: "flex-end", gap: "var(--p-space-200)" }}>{controls}</div>
    </div>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Card>
      <BlockStack gap="400">
        <Text as="h2" variant="headingMd">
          {title}
        </Text>
        {children}
      </BlockStack>
    </Card>
  );
}

export function FixedBundleSection(props: SectionProps) {
  const { draft, update, errors, mode, currency } = props;
  const setItems = (items: OfferDraft["items"]) => update({ items }, ["items"]);
  return (
    <Section title="Products in the bundle">
      <InlineStack align="end">
        <ProductPicker
          mode={mode}
          currency={currency}
          label="Add products"
          onPick={(picked) => {
            const merged = mergeItems(draft.items.map((row) => row.item), picked);
            setItems(merged.map((item) => draft.items.find((row) => row.item.id === item.id) ?? { item, quantity: "1" }));
          }}
        />
      </InlineStack>
      {draft.items.length === 0 ? (
        <Text as="p" tone="subdued">
          Add the products a buyer gets in one bundle.
        </Text>
      ) : (
        draft.items.map((row, index) => (
          <ItemRow
            key={row.item.id}
            details={
              <BlockStack gap="050">
                <Text as="span" fontWeight="semibold">
                  {row.item.title}
                </Text>
                <Text as="span" tone="subdued">
                  {priceLabel(row.item, currency)}
                </Text>
                {errors[`items.${index}`] ? <InlineError message={errors[`items.${index}`] ?? ""} fieldID={`items-${index}-quantity`} /> : null}
              </BlockStack>
            }
            controls={
              <>
                <div style={{ width: "6rem" }}>
                  <TextField
                    id={`items-${index}-quantity`}
                    label="Quantity"
                    value={row.quantity}
                    onChange={(quantity) => setItems(draft.items.map((other, i) => (i === index ? { ...other, quantity } : other)))}
                    error={errors[`items.${index}.quantity`]}
                    autoComplete="off"
                    inputMode="numeric"
                  />
                </div>
                <Button tone="critical" variant="plain" onClick={() => setItems(draft.items.filter((_, i) => i !== index))} accessibilityLabel={`Remove ${row.item.title}`}>
                  Remove
                </Button>
              </>
            }
          />
        ))
      )}
      {errors.items ? <InlineError message={errors.items} fieldID="items" /> : null}
      <FormLayout>
        <PricingFields {...props} what="bundle" />
        <LimitField {...props} label="Bundles discounted per order" />
      </FormLayout>
    </Section>
  );
}

export function MixAndMatchSection(props: SectionProps) {
  const { draft, update, errors, mode, currency } = props;
  return (
    <Section title="Mix and match">
      <ItemList id="eligible" title="Products to choose from" items={draft.eligible} onChange={(eligible) => update({ eligible }, ["eligible"])} error={errors.eligible} mode={mode} currency={currency} />
      <FormLayout>
        <TextField
          id="set-size"
          label="Items per set"
          helpText="Any this many of the products above, in any mix."
          value={draft.setSize}
          onChange={(setSize) => update({ setSize }, ["setSize"])}
          error={errors.setSize}
          autoComplete="off"
          inputMode="numeric"
        />
        <PricingFields {...props} what="set" />
        <LimitField {...props} label="Sets discounted per order" />
      </FormLayout>
    </Section>
  );
}

export function BuyXGetYSection(props: SectionProps) {
  const { draft, update, errors, mode, currency } = props;
  return (
    <Section title="Buy X get Y">
      <ItemList id="buy-items" title="The buyer buys any of" items={draft.buyItems} onChange={(buyItems) => update({ buyItems }, ["buy.items"])} error={errors["buy.items"]} mode={mode} currency={currency} />
      <TextField id="buy-quantity" label="Quantity to buy" value={draft.buyQuantity} onChange={(buyQuantity) => update({ buyQuantity }, ["buy.quantity"])} error={errors["buy.quantity"]} autoComplete="off" inputMode="numeric" />
      <ItemList id="get-items" title="And gets any of" items={draft.getItems} onChange={(getItems) => update({ getItems }, ["get.items"])} error={errors["get.items"]} mode={mode} currency={currency} />
      <FormLayout>
        <FormLayout.Group>
          <TextField id="get-quantity" label="Quantity they get" value={draft.getQuantity} onChange={(getQuantity) => update({ getQuantity }, ["get.quantity"])} error={errors["get.quantity"]} autoComplete="off" inputMode="numeric" />
          <ValueField id="get-percent" label="Discount on those (100% = free)" kind="percentage" value={draft.getPercent} onChange={(getPercent) => update({ getPercent }, ["get.percent"])} error={errors["get.percent"]} currency={currency} />
        </FormLayout.Group>
        <LimitField {...props} label="Times it applies per order" />
      </FormLayout>
    </Section>
  );
}

function TierRows({ draft, update, errors, currency }: SectionProps) {
  const spend = draft.type === "spendTiers";
  const valueKind = draft.tierKind === "percentage" ? "percentage" : "money";
  const setTiers = (tiers: OfferDraft["tiers"]) => update({ tiers }, ["tiers"]);
  return (
    <BlockStack gap="300">
      {draft.tiers.map((tier, index) => (
        <InlineStack key={index} gap="300" blockAlign="start" wrap={false}>
          <div style={{ flex: 1 }}>
            {spend ? (
              <ValueField
                id={`tier-${index}-threshold`}
                label={`Tier ${index + 1}: cart subtotal from`}
                kind="money"
                value={tier.threshold}
                onChange={(threshold) => setTiers(draft.tiers.map((t, i) => (i === index ? { ...t, threshold } : t)))}
                error={errors[`tiers.${index}.threshold`]}
                currency={currency}
              />
            ) : (
              <TextField
                id={`tier-${index}-threshold`}
                label={`Tier ${index + 1}: minimum quantity`}
                value={tier.threshold}
                onChange={(threshold) => setTiers(draft.tiers.map((t, i) => (i === index ? { ...t, threshold } : t)))}
                error={errors[`tiers.${index}.threshold`]}
                autoComplete="off"
                inputMode="numeric"
              />
            )}
          </div>
          <div style={{ flex: 1 }}>
            <ValueField
              id={`tier-${index}-value`}
              label={`Tier ${index + 1}: ${valueKind === "percentage" ? "percentage off" : draft.tierKind === "amountOffEach" ? "amount off each item" : "amount off the order"}`}
              kind={valueKind}
              value={tier.value}
              onChange={(value) => setTiers(draft.tiers.map((t, i) => (i === index ? { ...t, value } : t)))}
              error={errors[`tiers.${index}.value`]}
              currency={currency}
            />
          </div>
          <div style={{ paddingTop: "1.75rem" }}>
            <Button
              tone="critical"
              variant="plain"
              disabled={draft.tiers.length <= 1}
              onClick={() => setTiers(draft.tiers.filter((_, i) => i !== index))}
              accessibilityLabel={`Remove tier ${index + 1}`}
            >
              Remove
            </Button>
          </div>
        </InlineStack>
      ))}
      {errors.tiers ? <InlineError message={errors.tiers} fieldID="tier-0-threshold" /> : null}
      <InlineStack>
        <Button disabled={draft.tiers.length >= 10} onClick={() => setTiers([...draft.tiers, { threshold: "", value: "" }])}>
          Add tier
        </Button>
      </InlineStack>
    </BlockStack>
  );
}

export function QuantityBreaksSection(props: SectionProps) {
  const { draft, update, errors, mode, currency } = props;
  const changeKind = useKindSwitch(draft, update, "tiers", switchTierKind);
  return (
    <Section title="Quantity breaks">
      <ItemList id="eligible" title="Products that count" items={draft.eligible} onChange={(eligible) => update({ eligible }, ["eligible"])} error={errors.eligible} mode={mode} currency={currency} />
      <FormLayout>
        <FormLayout.Group>
          <Select
            id="count-per"
            label="Count quantities"
            options={[
              { label: "Across all these products together", value: "selection" },
              { label: "For each product on its own", value: "product" },
            ]}
            value={draft.countPer}
            onChange={(value) => update({ countPer: value as OfferDraft["countPer"] }, ["countPer"])}
          />
          <Select
            id="tier-kind"
            label="Discount per tier"
            options={[
              { label: "Percentage off", value: "percentage" },
              { label: "Amount off each item", value: "amountOffEach" },
            ]}
            value={draft.tierKind === "amountOffEach" ? "amountOffEach" : "percentage"}
            onChange={(value) => changeKind(value as TierValueKind)}
          />
        </FormLayout.Group>
      </FormLayout>
      <TierRows {...props} />
    </Section>
  );
}

export function SpendTiersSection(props: SectionProps) {
  const { draft, update } = props;
  const changeKind = useKindSwitch(draft, update, "tiers", switchTierKind);
  return (
    <Section title="Spend tiers">
      <Text as="p" tone="subdued">
        An order discount on the cart subtotal once it reaches each threshold.
      </Text>
      <Select
        id="tier-kind"
        label="Discount per tier"
        options={[
          { label: "Percentage off the order", value: "percentage" },
          { label: "Amount off the order", value: "amountOff" },
        ]}
        value={draft.tierKind === "amountOff" ? "amountOff" : "percentage"}
        onChange={(value) => changeKind(value as TierValueKind)}
      />
      <TierRows {...props} />
    </Section>
  );
}

export function UpgradeLadderSection(props: SectionProps) {
  const { draft, update, errors, mode, currency } = props;
  const setSteps = (steps: OfferDraft["steps"]) => update({ steps }, ["steps"]);
  const changeIncentiveKind = useKindSwitch(draft, update, "incentive", switchIncentiveKind);
  // The prices the steps were picked (or loaded) with: the same judgement saving makes on the catalog.
  const unpriced = new Map(unpricedSteps(draft, (gid) => draft.steps.find((step) => step.item.id === gid)?.item, currency).map((entry) => [entry.step, entry.message]));
  const move = (index: number, by: number) => {
    const steps = [...draft.steps];
    const [step] = steps.splice(index, 1);
    if (step) steps.splice(index + by, 0, step);
    setSteps(steps);
  };
  return (
    <Section title="Steps, from good to best">
      <InlineStack align="end">
        <ProductPicker
          mode={mode}
          currency={currency}
          label="Add steps"
          onPick={(picked) => {
            const merged = mergeItems(draft.steps.map((step) => step.item), picked);
            setSteps(merged.map((item) => draft.steps.find((step) => step.item.id === item.id) ?? { item, label: "" }));
          }}
        />
      </InlineStack>
      {draft.steps.length === 0 ? (
        <Text as="p" tone="subdued">
          Add at least two products or variants, cheapest first.
        </Text>
      ) : (
        draft.steps.map((step, index) => (
          <ItemRow
            key={step.item.id}
            details={
              <BlockStack gap="050">
                <Text as="span" fontWeight="semibold">
                  {index + 1}. {step.item.title}
                </Text>
                <Text as="span" tone="subdued">
                  {priceLabel(step.item, currency)}
                </Text>
                {unpriced.has(index) ? (
                  <Text as="span" tone="caution" id={`steps-${index}-unpriced`}>
                    {unpriced.get(index)}
                  </Text>
                ) : null}
                {errors[`steps.${index}`] ? <InlineError message={errors[`steps.${index}`] ?? ""} fieldID={`steps-${index}-label`} /> : null}
              </BlockStack>
            }
            controls={
              <>
                {/* Under the title on a narrow screen, the label field takes the line's room. */}
                <div style={{ flex: "1 1 9rem" }}>
                  <TextField
                    id={`steps-${index}-label`}
                    label="Label (optional)"
                    placeholder={["Good", "Better", "Best"][index] ?? ""}
                    value={step.label}
                    onChange={(label) => setSteps(draft.steps.map((other, i) => (i === index ? { ...other, label } : other)))}
                    error={errors[`steps.${index}.label`]}
                    maxLength={60}
                    autoComplete="off"
                  />
                </div>
                <InlineStack gap="200" blockAlign="end" wrap={false}>
                  <Button disabled={index === 0} onClick={() => move(index, -1)} accessibilityLabel={`Move ${step.item.title} up`}>
                    ↑
                  </Button>
                  <Button disabled={index === draft.steps.length - 1} onClick={() => move(index, 1)} accessibilityLabel={`Move ${step.item.title} down`}>
                    ↓
                  </Button>
                  <Button tone="critical" variant="plain" onClick={() => setSteps(draft.steps.filter((_, i) => i !== index))} accessibilityLabel={`Remove ${step.item.title}`}>
                    Remove
                  </Button>
                </InlineStack>
              </>
            }
          />
        ))
      )}
      {errors.steps ? <InlineError message={errors.steps} fieldID="steps" /> : null}
      <FormLayout>
        <FormLayout.Group>
          <Select
            id="incentive-kind"
            label="Incentive to upgrade"
            options={[
              { label: "None: just suggest the next step", value: "none" },
              { label: "Percentage off the upgraded item", value: "percentage" },
              { label: "Amount off each upgraded item", value: "amountOffEach" },
            ]}
            value={draft.incentiveKind}
            onChange={(value) => changeIncentiveKind(value as OfferDraft["incentiveKind"])}
          />
          {draft.incentiveKind === "none" ? null : (
            <ValueField
              id="incentive-value"
              label={draft.incentiveKind === "percentage" ? "Percentage" : "Amount off each"}
              kind={draft.incentiveKind === "percentage" ? "percentage" : "money"}
              value={draft.incentiveValue}
              onChange={(incentiveValue) => update({ incentiveValue }, ["incentive"])}
              error={errors.incentive}
              currency={currency}
            />
          )}
        </FormLayout.Group>
      </FormLayout>
    </Section>
  );
}

export function TypeSection(props: SectionProps) {
  switch (props.draft.type) {
    case "fixedBundle":
      return <FixedBundleSection {...props} />;
    case "mixAndMatch":
      return <MixAndMatchSection {...props} />;
    case "buyXGetY":
      return <BuyXGetYSection {...props} />;
    case "quantityBreaks":
      return <QuantityBreaksSection {...props} />;
    case "spendTiers":
      return <SpendTiersSection {...props} />;
    case "upgradeLadder":
      return <UpgradeLadderSection {...props} />;
  }
}
