import { BlockStack, Button, InlineError, InlineStack, Text } from "@shopify/polaris";
import { formatAmount } from "~/components/dashboard/format";
import type { PickedItem } from "./offer-draft";
import { ProductPicker } from "./product-picker";

export function priceLabel(item: PickedItem, currency: string): string {
  return item.price === null ? "No catalog price" : formatAmount(item.price, currency);
}

/** Adds picked items to a list, skipping ones already in it. */
export function mergeItems(current: readonly PickedItem[], picked: readonly PickedItem[]): PickedItem[] {
  const seen = new Set(current.map((item) => item.id));
  return [...current, ...picked.filter((item) => !seen.has(item.id) && (seen.add(item.id), true))];
}

/** A list of products / variants with a picker to add more and a button to remove each. */
export function ItemList({
  id,
  title,
  items,
  onChange,
  error,
  mode,
  currency,
  pickLabel = "Add products",
}: {
  id: string;
  title: string;
  items: readonly PickedItem[];
  onChange: (items: PickedItem[]) => void;
  error?: string;
  mode: "demo" | "shopify";
  currency: string;
  pickLabel?: string;
}) {
  return (
    <BlockStack gap="200" id={id}>
      <InlineStack align="space-between" blockAlign="center">
        <Text as="h3" variant="headingSm">
          {title}
        </Text>
        <ProductPicker
          mode={mode}
          currency={currency}
          label={pickLabel}
          // A buy X get Y form has two of these lists: each button is named by its list.
          accessibilityLabel={`${pickLabel}: ${title}`}
          onPick={(picked) => onChange(mergeItems(items, picked))}
        />
      </InlineStack>
      {items.length === 0 ? (
        <Text as="p" tone="subdued">
          Nothing chosen yet.
        </Text>
      ) : (
        items.map((item) => (
          <InlineStack key={item.id} align="space-between" blockAlign="center" wrap={false} gap="200">
            <Text as="span">
              {item.title}
              {item.kind === "variant" ? " (variant)" : ""}
            </Text>
            <InlineStack gap="200" blockAlign="center" wrap={false}>
              <Text as="span" tone="subdued">
                {priceLabel(item, currency)}
              </Text>
              <Button variant="plain" tone="critical" onClick={() => onChange(items.filter((other) => other.id !== item.id))} accessibilityLabel={`Remove ${item.title}`}>
                Remove
              </Button>
            </InlineStack>
          </InlineStack>
        ))
      )}
      {error ? <InlineError message={error} fieldID={id} /> : null}
    </BlockStack>
  );
}
