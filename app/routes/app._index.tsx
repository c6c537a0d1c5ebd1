import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { BlockStack, Card, InlineGrid, Layout, Page, Text } from "@shopify/polaris";
import { countShopCatalog, findShop } from "~/models/shop.server";
import { authenticateAdmin } from "~/services/admin-auth.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const { shopId } = await authenticateAdmin(request);
  const [shop, counts] = await Promise.all([findShop(shopId), countShopCatalog(shopId)]);
  return { shopName: shop?.name ?? shopId, currency: shop?.currency ?? null, counts };
}

function Stat({ label, value }: { label: string; value: number }) {
  return (
    <Card>
      <BlockStack gap="200">
        <Text as="h2" variant="headingSm" tone="subdued">
          {label}
        </Text>
        <Text as="p" variant="heading2xl" id={`stat-${label.toLowerCase()}`}>
          {value.toLocaleString("en")}
        </Text>
      </BlockStack>
    </Card>
  );
}

export default function Dashboard() {
  const { shopName, currency, counts } = useLoaderData<typeof loader>();
  return (
    <Page title="Dashboard" subtitle={shopName}>
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <Text as="p" variant="bodyMd">
              What Upshelf has learned from <strong>{shopName}</strong>
              {currency ? ` (prices in ${currency})` : ""}.
            </Text>
            <InlineGrid columns={{ xs: 1, sm: 2 }} gap="400">
              <Stat label="Products" value={counts.products} />
              <Stat label="Orders" value={counts.orders} />
            </InlineGrid>
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
