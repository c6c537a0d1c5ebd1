import { BlockStack, Card, DataTable, Text } from "@shopify/polaris";
import type { PlacementFunnel } from "~/core/analytics";
import { formatCount, formatShare } from "./format";

/** Impressions, click-through and add-to-cart rate of each widget placement. */
export function PlacementTable({ placements }: { placements: readonly PlacementFunnel[] }) {
  const seen = placements.some((placement) => placement.impressions > 0);
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h3" variant="headingMd">
          Widgets by placement
        </Text>
        {seen ? null : (
          <Text as="p" tone="subdued">
            No widget has been seen by a buyer in this period. Impressions count only when a widget was actually on screen.
          </Text>
        )}
        <DataTable
          columnContentTypes={["text", "numeric", "numeric", "numeric", "numeric", "numeric"]}
          headings={["Placement", "Impressions", "Clicks", "Click-through rate", "Adds to cart", "Add-to-cart rate"]}
          rows={placements.map((placement) => [
            placement.label,
            formatCount(placement.impressions),
            formatCount(placement.clicks),
            formatShare(placement.clickThroughRate),
            formatCount(placement.addsToCart),
            formatShare(placement.addToCartRate),
          ])}
        />
      </BlockStack>
    </Card>
  );
}
