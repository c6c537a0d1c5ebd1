import { useFetcher } from "@remix-run/react";
import { BlockStack, Button, InlineStack, Text, TextField } from "@shopify/polaris";
import { useEffect, useId, useState } from "react";
import { formatAmount } from "~/components/dashboard/format";
import { CSV_ONLY_PRODUCT_NOTE } from "~/core/catalog-keys";
import { MAX_SEARCH_LENGTH } from "~/core/catalog-search";

export interface PickedProduct {
  productId: string;
  title: string;
}

interface SearchResult extends PickedProduct {
  handle: string;
  price: { amount: number; currency: string } | null;
  notInShopify: boolean;
}

/**
 * A searchable list of the shop's products (title, handle or id), served by
 * /app/recommendations/products. Choosing a result calls `onPick` and clears the search.
 */
export function ProductPicker({
  label,
  onPick,
  error,
  helpText,
  actionLabel = "Choose",
}: {
  label: string;
  onPick: (product: PickedProduct) => void;
  error?: string;
  helpText?: string;
  actionLabel?: string;
}) {
  const fetcher = useFetcher<{ products: SearchResult[] }>();
  const [query, setQuery] = useState("");
  const resultsId = useId();
  const { load } = fetcher;

  useEffect(() => {
    const trimmed = query.trim();
    if (trimmed === "") return;
    const timer = setTimeout(() => load(`/app/recommendations/products?q=${encodeURIComponent(trimmed)}&limit=8`), 200);
    return () => clearTimeout(timer);
  }, [query, load]);

  const results = query.trim() === "" ? [] : (fetcher.data?.products ?? []);
  return (
    <BlockStack gap="200">
      <TextField
        label={label}
        value={query}
        onChange={setQuery}
        autoComplete="off"
        placeholder="Search by title, handle or id"
        maxLength={MAX_SEARCH_LENGTH}
        clearButton
        onClearButtonClick={() => setQuery("")}
        error={error}
        helpText={helpText}
        ariaControls={resultsId}
      />
      <div id={resultsId} aria-live="polite">
        {query.trim() !== "" && fetcher.state === "idle" && fetcher.data && results.length === 0 ? (
          <Text as="p" tone="subdued">
            No product matches “{query.trim()}”.
          </Text>
        ) : null}
        {results.length > 0 ? (
          <ul style={{ listStyle: "none", margin: 0, padding: 0 }} aria-label={`Products matching ${query.trim()}`}>
            {results.map((product) => (
              <li key={product.productId} style={{ padding: "4px 0" }}>
                <InlineStack align="space-between" blockAlign="center" gap="200" wrap={false}>
                  <BlockStack gap="0">
                    <Text as="span" variant="bodyMd">
                      {product.title}
                    </Text>
                    <Text as="span" variant="bodySm" tone="subdued">
                      {product.notInShopify
                        ? CSV_ONLY_PRODUCT_NOTE
                        : `${product.price ? formatAmount(product.price.amount, product.price.currency) : "No price"} · id ${product.productId}`}
                    </Text>
                  </BlockStack>
                  <Button
                    size="slim"
                    disabled={product.notInShopify}
                    accessibilityLabel={`${actionLabel} ${product.title}`}
                    onClick={() => {
                      onPick({ productId: product.productId, title: product.title });
                      setQuery("");
                    }}
                  >
                    {actionLabel}
                  </Button>
                </InlineStack>
              </li>
            ))}
          </ul>
        ) : null}
      </div>
    </BlockStack>
  );
}
