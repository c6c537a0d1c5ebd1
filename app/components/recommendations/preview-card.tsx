import { useNavigation, useSearchParams } from "@remix-run/react";
import { Badge, Banner, BlockStack, Box, Card, Divider, InlineGrid, InlineStack, SkeletonBodyText, Tag, Text } from "@shopify/polaris";
import { useState } from "react";
import { formatAmount, formatDateTime } from "~/components/dashboard/format";
import { isPlacedByMerchant } from "~/core/ranking/reasons";
import type { PlacementKey } from "~/core/settings";
import { blockItemsDefaultsText } from "~/core/storefront-blocks";
import type { RecommendationsPreview } from "~/services/recommendations-preview.server";
import { ProductPicker, type PickedProduct } from "./product-picker";

const CONTEXT_TEXT = {
  product: "Product page of the first product",
  cart: "A cart holding every product",
  order: "An order of every product",
} as const;

/**
 * Pick a product, or several as a cart, and see what every widget would show and why: the same
 * serving model and ranking the storefront uses, with each placement's heading and item count.
 */
export function PreviewCard({
  preview,
  previewError,
  timeZone,
  rebuilding,
}: {
  preview: RecommendationsPreview | null;
  previewError: string | null;
  /** The shop's zone, for the model's build time. */
  timeZone: string;
  /** A rebuild is queued or running: what it will change is not shown yet. */
  rebuilding: boolean;
}) {
  const [searchParams, setSearchParams] = useSearchParams();
  const navigation = useNavigation();
  const [picked, setPicked] = useState<PickedProduct[]>(() => preview?.anchors ?? []);
  const loading = navigation.state === "loading" && navigation.location.pathname === "/app/recommendations";

  const show = (products: PickedProduct[]) => {
    setPicked(products);
    const next = new URLSearchParams(searchParams);
    if (products.length === 0) next.delete("preview");
    else next.set("preview", products.map((product) => product.productId).join(","));
    setSearchParams(next, { preventScrollReset: true, replace: true });
  };

  return (
    <Card>
      <BlockStack gap="400">
        <BlockStack gap="100">
          <Text as="h2" variant="headingMd">
            Preview
          </Text>
          <Text as="p" tone="subdued">
            Choose a product to see its product page, or several to build a cart. Each widget lists what a buyer would be
            served now, up to the widget&apos;s number of items, and why. A theme block set to fewer items shows fewer.
          </Text>
        </BlockStack>
        <ProductPicker label="Add a product" actionLabel="Add" onPick={(product) => {
          if (!picked.some((entry) => entry.productId === product.productId)) show([...picked, product]);
        }} />
        {picked.length > 0 ? (
          <InlineStack gap="200">
            {picked.map((product) => (
              <Tag key={product.productId} onRemove={() => show(picked.filter((entry) => entry.productId !== product.productId))}>
                {product.title}
              </Tag>
            ))}
          </InlineStack>
        ) : null}
        {previewError ? <Banner tone="critical">{previewError}</Banner> : null}
        {preview && preview.unknown.length > 0 ? (
          <Banner tone="warning">
            Not in the current model: {preview.unknown.join(", ")}. Products added since the last rebuild appear after the next one.
          </Banner>
        ) : null}
        {loading ? <SkeletonBodyText lines={8} /> : preview ? <PreviewResults preview={preview} timeZone={timeZone} rebuilding={rebuilding} /> : null}
      </BlockStack>
    </Card>
  );
}

/**
 * What the placement's theme blocks show by default, beside the limit above: a block asks for its
 * own number of items, so a buyer sees the fewer of the two. Nothing for the offers after checkout.
 */
function BlocksNote({ placement, limit }: { placement: PlacementKey; limit: number }) {
  const blocks = blockItemsDefaultsText(placement);
  if (blocks === null) return null;
  return (
    <Text as="p" variant="bodySm" tone="subdued">
      A theme block set to fewer than {limit} shows fewer: {blocks}.
    </Text>
  );
}

function PreviewResults({ preview, timeZone, rebuilding }: { preview: RecommendationsPreview; timeZone: string; rebuilding: boolean }) {
  return (
    <BlockStack gap="400">
      <Text as="p" variant="bodySm" tone="subdued">
        Model {preview.modelVersion}, built {formatDateTime(preview.modelBuiltAt, timeZone)}, learned from{" "}
        {preview.modelOrderCount.toLocaleString("en")} orders.
        {rebuilding ? " A rebuild is in progress (after an import, a sync or a new half-life): what it changes shows here once it is done." : ""}
        {preview.learnsFromFeedback
          ? " Learning from feedback is on: the order of the items varies a little between visitors while Upshelf tries out promising items."
          : ""}
      </Text>
      <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
        {preview.widgets.map((widget) => (
          <Box key={widget.placement} padding="300" borderWidth="025" borderColor="border" borderRadius="200">
            <BlockStack gap="200">
              <InlineStack align="space-between" blockAlign="center">
                <Text as="h3" variant="headingSm">
                  {widget.name}
                </Text>
                {widget.enabled ? <Badge tone="success">On</Badge> : <Badge>Off</Badge>}
              </InlineStack>
              <Text as="p" variant="bodySm" tone="subdued">
                {CONTEXT_TEXT[widget.context]} ·{" "}
                {widget.context === "order" ? "one offer" : `up to ${widget.limit} ${widget.limit === 1 ? "item" : "items"}`}
              </Text>
              <BlocksNote placement={widget.placement} limit={widget.limit} />
              <Divider />
              <Text as="p" variant="bodyMd" fontWeight="semibold">
                {widget.heading}
              </Text>
              {widget.items.length === 0 ? (
                <Text as="p" tone="subdued">
                  {widget.context === "order"
                    ? "No offer: no recommended product passes the offer rules for this purchase (in stock, within the share of the order set in Settings)."
                    : "Nothing to recommend here."}
                </Text>
              ) : (
                <ol style={{ margin: 0, paddingInlineStart: 20 }} aria-label={`${widget.name} recommendations`}>
                  {widget.items.map((item) => (
                    <li key={item.productId} style={{ padding: "4px 0" }} data-testid="preview-item">
                      <BlockStack gap="050">
                        <InlineStack gap="200" blockAlign="center">
                          <Text as="span" variant="bodyMd">
                            {item.title}
                          </Text>
                          <Text as="span" variant="bodySm" tone="subdued">
                            {formatAmount(item.price.amount, item.price.currency)}
                          </Text>
                          {item.compareAtPrice ? (
                            <Text as="span" variant="bodySm" tone="subdued" textDecorationLine="line-through">
                              {formatAmount(item.compareAtPrice.amount, item.compareAtPrice.currency)}
                            </Text>
                          ) : null}
                        </InlineStack>
                        <Text as="span" variant="bodySm" tone={isPlacedByMerchant(item.reason) ? "magic" : "subdued"}>
                          {item.reasonText}
                        </Text>
                      </BlockStack>
                    </li>
                  ))}
                </ol>
              )}
            </BlockStack>
          </Box>
        ))}
      </InlineGrid>
    </BlockStack>
  );
}
