import { useFetcher } from "@remix-run/react";
import { useAppBridge } from "@shopify/app-bridge-react";
import { Banner, BlockStack, Button, Checkbox, InlineStack, Modal, Scrollable, Spinner, Text, TextField } from "@shopify/polaris";
import { useCallback, useEffect, useState } from "react";
import { formatAmount } from "~/components/dashboard/format";
import { CSV_ONLY_PRODUCT_NOTE } from "~/core/catalog-keys";
import { MAX_SEARCH_LENGTH } from "~/core/catalog-search";
import { isUnreachableAnswer } from "~/components/unreachable";
import { parseDecimalToMinor } from "~/core/money";
import { cheapestPrice, dearestPrice, type PickedItem } from "./offer-draft";

export interface ProductPickerProps {
  /** "shopify": App Bridge's resource picker; "demo": the local searchable picker. */
  readonly mode: "demo" | "shopify";
  readonly currency: string;
  readonly label: string;
  /**
   * The button's name for screen readers where a form has several pickers with the same visible
   * label ("Add products: The buyer buys any of"); it starts with `label`, so speech input that
   * says the visible words still finds the button.
   */
  readonly accessibilityLabel?: string;
  /** Whether single variants can be chosen, not only whole products. */
  readonly allowVariants?: boolean;
  readonly onPick: (items: PickedItem[]) => void;
}

/** A button that opens the right product picker and hands back what the merchant chose. */
export function ProductPicker(props: ProductPickerProps) {
  return props.mode === "shopify" ? <ResourcePickerButton {...props} /> : <LocalPickerButton {...props} />;
}

function ResourcePickerButton({ currency, label, accessibilityLabel, allowVariants = true, onPick }: ProductPickerProps) {
  const shopify = useAppBridge();
  const open = useCallback(async () => {
    const selection = await shopify.resourcePicker({ type: "product", action: "add", multiple: true, filter: { variants: allowVariants } });
    if (!selection) return;
    const picked: PickedItem[] = [];
    for (const product of selection) {
      const variants = product.variants.filter((variant): variant is typeof variant & { id: string } => typeof variant.id === "string");
      const price = (value: unknown) => {
        try {
          return typeof value === "string" ? parseDecimalToMinor(value, currency) : null;
        } catch {
          return null;
        }
      };
      // Every variant chosen (or variants hidden) means the product itself; a subset means those variants.
      const whole = !allowVariants || variants.length === 0 || variants.length >= product.totalVariants;
      if (whole) {
        // The cheapest variant is known only when the picker handed back every variant.
        const everyVariant = variants.length >= product.totalVariants;
        picked.push({
          kind: "product",
          id: product.id,
          productId: product.id,
          variantId: variants[0]?.id ?? null,
          title: product.title,
          price: price(variants[0]?.price),
          lowestPrice: everyVariant ? cheapestPrice(variants.map((variant) => price(variant.price))) : null,
          highestPrice: everyVariant ? dearestPrice(variants.map((variant) => price(variant.price))) : null,
        });
      } else {
        for (const variant of variants) {
          picked.push({
            kind: "variant",
            id: variant.id,
            productId: product.id,
            variantId: variant.id,
            title: variant.title && variant.title !== "Default Title" ? `${product.title} – ${variant.title}` : product.title,
            price: price(variant.price),
            lowestPrice: price(variant.price),
            highestPrice: price(variant.price),
          });
        }
      }
    }
    onPick(picked);
  }, [shopify, currency, allowVariants, onPick]);
  return (
    <Button onClick={() => void open()} accessibilityLabel={accessibilityLabel}>
      {label}
    </Button>
  );
}

interface SearchResult {
  product: PickedItem;
  variants: PickedItem[];
  notInShopify: boolean;
}

function LocalPickerButton({ currency, label, accessibilityLabel, allowVariants = true, onPick }: ProductPickerProps) {
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState("");
  const [chosen, setChosen] = useState<Map<string, PickedItem>>(new Map());
  // The search route's clientLoader answers `{ error: "unreachable", message }` when the search got
  // no answer from Upshelf, rather than failing the page (docs/decisions/0013).
  const search = useFetcher<{ results: SearchResult[]; error?: string; message?: string }>();
  const { load } = search;
  const searchFor = useCallback((text: string) => load(`/app/api/products?${new URLSearchParams({ q: text, limit: "25" })}`), [load]);

  useEffect(() => {
    if (!open) return;
    // A short pause so each keystroke does not start a request.
    const timer = setTimeout(() => searchFor(query), 200);
    return () => clearTimeout(timer);
  }, [open, query, searchFor]);

  const toggle = (item: PickedItem, checked: boolean) =>
    setChosen((previous) => {
      const next = new Map(previous);
      if (checked) next.set(item.id, item);
      else next.delete(item.id);
      return next;
    });

  const close = () => {
    setOpen(false);
    setChosen(new Map());
  };

  const results = search.data?.results ?? [];
  const unreachable = search.state === "idle" && isUnreachableAnswer(search.data) ? search.data.message : null;
  const priceText = (item: PickedItem) => (item.price === null ? "no price" : formatAmount(item.price, currency));

  return (
    <>
      <Button onClick={() => setOpen(true)} accessibilityLabel={accessibilityLabel}>
        {label}
      </Button>
      <Modal
        open={open}
        onClose={close}
        title="Choose products"
        primaryAction={{
          content: chosen.size > 0 ? `Add ${chosen.size}` : "Add",
          disabled: chosen.size === 0,
          onAction: () => {
            onPick([...chosen.values()]);
            close();
          },
        }}
        secondaryActions={[{ content: "Cancel", onAction: close }]}
      >
        <Modal.Section>
          <BlockStack gap="300">
            <TextField
              label="Search products"
              labelHidden
              placeholder="Search by title, handle or SKU"
              maxLength={MAX_SEARCH_LENGTH}
              value={query}
              onChange={setQuery}
              autoComplete="off"
              autoFocus
              clearButton
              onClearButtonClick={() => setQuery("")}
            />
            <Scrollable style={{ maxHeight: "50vh" }}>
              <BlockStack gap="200">
                {search.state === "loading" && results.length === 0 ? <Spinner size="small" accessibilityLabel="Searching" /> : null}
                {unreachable ? (
                  <Banner tone="warning" title={unreachable} action={{ content: "Try again", onAction: () => searchFor(query) }} />
                ) : null}
                {search.state === "idle" && search.data && !unreachable && results.length === 0 ? (
                  <Text as="p" tone="subdued">
                    No products match “{query}”.
                  </Text>
                ) : null}
                {results.map((result) => (
                  <BlockStack key={result.product.id} gap="100">
                    <InlineStack align="space-between" blockAlign="center" wrap={false}>
                      <Checkbox
                        label={result.product.title}
                        checked={chosen.has(result.product.id)}
                        disabled={result.notInShopify}
                        helpText={result.notInShopify ? CSV_ONLY_PRODUCT_NOTE : undefined}
                        onChange={(checked) => toggle(result.product, checked)}
                      />
                      <Text as="span" tone="subdued">
                        {priceText(result.product)}
                      </Text>
                    </InlineStack>
                    {allowVariants && !result.notInShopify
                      ? result.variants.map((variant) => (
                          <div key={variant.id} style={{ paddingInlineStart: "1.75rem" }}>
                            <InlineStack align="space-between" blockAlign="center" wrap={false}>
                              <Checkbox
                                label={variant.title}
                                checked={chosen.has(variant.id)}
                                disabled={chosen.has(result.product.id)}
                                onChange={(checked) => toggle(variant, checked)}
                              />
                              <Text as="span" tone="subdued">
                                {priceText(variant)}
                              </Text>
                            </InlineStack>
                          </div>
                        ))
                      : null}
                  </BlockStack>
                ))}
              </BlockStack>
            </Scrollable>
          </BlockStack>
        </Modal.Section>
      </Modal>
    </>
  );
}
