import { BlockStack, Card, DataTable, Text } from "@shopify/polaris";
import type { NamedPerformer } from "~/core/analytics";
import { formatAmount, formatCount, formatShare } from "./format";

/** The offers or recommended products that earned the most in the period. */
export function TopPerformersCard({
  title,
  rows,
  currency,
  emptyMessage,
}: {
  title: string;
  rows: readonly NamedPerformer[];
  currency: string;
  emptyMessage: string;
}) {
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h3" variant="headingMd">
          {title}
        </Text>
        {rows.length === 0 ? (
          <Text as="p" tone="subdued">
            {emptyMessage}
          </Text>
        ) : (
          <DataTable
            columnContentTypes={["text", "numeric", "numeric", "numeric", "numeric", "numeric"]}
            headings={["Name", "Revenue", "Orders", "Clicks", "Click-through rate", "Adds to cart"]}
            rows={rows.map((row) => [
              row.title,
              formatAmount(row.revenue, currency),
              formatCount(row.orders),
              formatCount(row.clicks),
              formatShare(row.clickThroughRate),
              formatCount(row.addsToCart),
            ])}
          />
        )}
      </BlockStack>
    </Card>
  );
}
