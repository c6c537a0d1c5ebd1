import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link as RemixLink, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { Banner, BlockStack, Card, EmptyState, InlineGrid, InlineStack, Layout, Page, Select, Text } from "@shopify/polaris";
import { DEFAULT_PERIOD_LENGTH, isPeriodLength, PERIOD_LENGTHS, type PeriodLength } from "~/core/analytics";
import { CheckoutDiscountBanner } from "~/components/checkout-discount-banner";
import { formatAmount, formatCount, formatDay, formatShare, toMajorUnits } from "~/components/dashboard/format";
import { MetricCard } from "~/components/dashboard/metric-card";
import { PlacementTable } from "~/components/dashboard/placement-table";
import { TimeSeriesChart } from "~/components/dashboard/time-series-chart";
import { TopPerformersCard } from "~/components/dashboard/top-performers-card";
import { currencyDecimals } from "~/core/money";
import { countShopCatalog, findShop } from "~/models/shop.server";
import { authenticateAdmin } from "~/services/admin-auth.server";
import { checkoutDiscountState } from "~/services/discount-sync.server";
import { loadDashboard } from "~/services/analytics.server";
import { titleMeta } from "~/components/page-title";

export const meta = () => titleMeta("Dashboard");

/**
 * The dashboard: what Upshelf earned in a period (7, 30 or 90 days), how buyers reacted to each
 * widget, and the best offers and products. `?days=` picks the period (empty: the default);
 * anything else shows the default period and says so. `?to=today` ends the demo shop's period
 * today instead of at its latest order.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const { shopId } = await authenticateAdmin(request);
  const params = new URL(request.url).searchParams;
  const asked = params.get("days") || null;
  const parsed = asked === null ? DEFAULT_PERIOD_LENGTH : Number(asked);
  const days: PeriodLength = isPeriodLength(parsed) ? parsed : DEFAULT_PERIOD_LENGTH;
  const [shop, counts, dashboard, checkoutDiscount] = await Promise.all([
    findShop(shopId),
    countShopCatalog(shopId),
    loadDashboard(shopId, { days, endToday: params.get("to") === "today" }),
    checkoutDiscountState(shopId),
  ]);
  return {
    shopName: shop?.name ?? shopId,
    checkoutDiscount: { status: checkoutDiscount.status, lastError: checkoutDiscount.lastError },
    counts,
    dashboard,
    ignoredPeriod: asked !== null && !isPeriodLength(parsed) ? asked : null,
  };
}

const COLOURS = { total: "#8a8a8a", upshelf: "#2c6ecb", third: "#b98900" };

export default function Dashboard() {
  const { shopName, checkoutDiscount, counts, dashboard, ignoredPeriod } = useLoaderData<typeof loader>();
  const [searchParams, setSearchParams] = useSearchParams();
  const navigation = useNavigation();
  const { currency, period, orders, placements, dailyEvents } = dashboard;
  const days = orders.daily.map((point) => point.day);
  const money = (value: number) => formatAmount(Math.round(value * 10 ** currencyDecimals(currency)), currency);
  const compactMoney = (value: number) =>
    new Intl.NumberFormat("en", { style: "currency", currency, notation: "compact", maximumFractionDigits: 1 }).format(value);
  const range = `${formatDay(period.firstDay)} – ${formatDay(period.lastDay)}`;
  // Orders in other currencies after the demo shop's last one in its own are in no period: say so.
  const later = dashboard.laterOrdersInOtherCurrencies;
  const periodEndNote =
    later > 0
      ? `The demo shop's orders in ${currency} stop on ${formatDay(period.lastDay)}, so the period ends there rather than today; ` +
        `${later === 1 ? "1 later order was" : `${formatCount(later)} later orders were`} paid in another currency than ${currency} ` +
        `and ${later === 1 ? "is" : "are"} left out of the figures.`
      : `The demo shop's orders stop on ${formatDay(period.lastDay)}, so the period ends there rather than today.`;
  const totals = dailyEvents.reduce(
    (sum, point) => ({ impressions: sum.impressions + point.impressions, clicks: sum.clicks + point.clicks, adds: sum.adds + point.addsToCart }),
    { impressions: 0, clicks: 0, adds: 0 },
  );
  // Links between the demo shop's two periods keep the chosen length.
  const periodLink = (toToday: boolean) => {
    const next = new URLSearchParams(searchParams);
    next.set("days", String(period.days));
    if (toToday) next.set("to", "today");
    else next.delete("to");
    return `?${next}`;
  };
  const eventsSince = dashboard.demo?.widgetEventsAfterPeriod ?? 0;
  const otherCurrencies = dashboard.ordersInOtherCurrencies;

  return (
    <Page title="Dashboard" subtitle={shopName}>
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <InlineStack align="space-between" blockAlign="end" gap="400">
              <Text as="p" variant="bodyMd">
                {range} (days in {period.timeZone})
              </Text>
              <div style={{ minWidth: 180 }}>
                <Select
                  label="Period"
                  labelInline
                  options={PERIOD_LENGTHS.map((length) => ({ label: `Last ${length} days`, value: String(length) }))}
                  value={String(period.days)}
                  disabled={navigation.state === "loading"}
                  onChange={(value) => {
                    const next = new URLSearchParams(searchParams);
                    next.set("days", value);
                    setSearchParams(next, { preventScrollReset: true });
                  }}
                />
              </div>
            </InlineStack>
            <CheckoutDiscountBanner discount={checkoutDiscount} />
            {ignoredPeriod !== null ? (
              <Banner tone="warning" title="Unknown period">
                “{ignoredPeriod}” is not a period the dashboard offers; it shows the last {period.days} days instead.
              </Banner>
            ) : null}
            {period.endsAtLatestOrder ? (
              <Banner tone="info" title="This period ends at the demo shop's latest order">
                <BlockStack gap="200">
                  <p>
                    {periodEndNote}{" "}
                    {orders.attributedRevenue === 0 && totals.impressions === 0
                      ? "Its historical orders were placed before Upshelf existed and carry no Upshelf attribution: Upshelf's revenue, attach rate and widget activity are honestly zero here."
                      : "Its historical orders were placed before Upshelf existed and carry no Upshelf attribution; what Upshelf shows here came from orders imported or placed since."}
                  </p>
                  {eventsSince > 0 ? (
                    <p>
                      Buyers have used the widgets since: {eventsSince === 1 ? "1 widget event" : `${formatCount(eventsSince)} widget events`} after{" "}
                      {formatDay(period.lastDay)}. <RemixLink to={periodLink(true)}>Show the last {period.days} days up to today</RemixLink>.
                    </p>
                  ) : null}
                </BlockStack>
              </Banner>
            ) : null}
            {dashboard.demo?.latestOrderDay && !period.endsAtLatestOrder && dashboard.demo.latestOrderDay < period.firstDay ? (
              <Banner tone="info" title="This period ends today">
                The demo shop&apos;s orders stop on {formatDay(dashboard.demo.latestOrderDay)}, so this period has widget activity but no
                orders. <RemixLink to={periodLink(false)}>Show the {period.days} days up to its latest order</RemixLink>.
              </Banner>
            ) : null}
            {otherCurrencies > 0 ? (
              <Banner tone="info">
                {otherCurrencies === 1 ? "1 order in this period was" : `${formatCount(otherCurrencies)} orders in this period were`} paid in
                another currency than {currency} and {otherCurrencies === 1 ? "is" : "are"} left out of the amounts below.
              </Banner>
            ) : null}
          </BlockStack>
        </Layout.Section>

        {!dashboard.hasAnyData ? (
          <Layout.Section>
            <Card>
              <EmptyState
                heading="No orders or widget activity yet"
                image="https://cdn.shopify.com/s/files/1/0262/4071/2726/files/emptystate-files.png"
                action={{ content: "Import orders", url: "/app/import" }}
                secondaryAction={{ content: "Set up recommendations", url: "/app/recommendations" }}
              >
                <p>
                  Figures appear here as soon as orders arrive or buyers see Upshelf&apos;s widgets. Import your order history to
                  let Upshelf learn what sells together.
                </p>
              </EmptyState>
            </Card>
          </Layout.Section>
        ) : null}

        <Layout.Section>
          <InlineGrid columns={{ xs: 1, sm: 2, md: 4 }} gap="400">
            <MetricCard
              id="metric-attributed-revenue"
              label="Sales through Upshelf"
              value={formatAmount(orders.attributedRevenue, currency)}
              help={
                `What buyers paid for items they added through Upshelf (post-purchase offers included), of ${formatAmount(orders.revenue, currency)} in sales ` +
                "(after discounts and refunds, before shipping and tax). Not all of it is extra: some buyers would have bought these items anyway. " +
                "A holdout test (Holdout test page) measures what Upshelf adds."
              }
            />
            <MetricCard
              id="metric-attach-rate"
              label="Attach rate"
              value={formatShare(orders.attachRate)}
              help={`${formatCount(orders.ordersWithUpshelf)} of ${formatCount(orders.orders)} orders contain an item Upshelf added.`}
            />
            <MetricCard
              id="metric-aov-with"
              label="Average order with Upshelf"
              value={formatAmount(orders.averageOrderValueWithUpshelf, currency)}
              help="Orders containing an item Upshelf added, after refunds, before shipping and tax. Buyers who add more tend to spend more anyway, so the gap to other orders is not all Upshelf's doing: a holdout test (Holdout test page) measures what Upshelf changes."
            />
            <MetricCard
              id="metric-aov-without"
              label="Average order without"
              value={formatAmount(orders.averageOrderValueWithoutUpshelf, currency)}
              help="All other orders of the period, after refunds, before shipping and tax."
            />
          </InlineGrid>
        </Layout.Section>

        <Layout.Section>
          <BlockStack gap="400">
            <TimeSeriesChart
              title="Revenue per day"
              description={`Total ${formatAmount(orders.revenue, currency)}, of which ${formatAmount(orders.attributedRevenue, currency)} for items added through Upshelf, ${range}.`}
              days={days}
              series={[
                { key: "revenue", label: "All orders", colour: COLOURS.total },
                { key: "attributed", label: "Through Upshelf", colour: COLOURS.upshelf },
              ]}
              values={{
                revenue: orders.daily.map((point) => toMajorUnits(point.revenue, currency)),
                attributed: orders.daily.map((point) => toMajorUnits(point.attributedRevenue, currency)),
              }}
              formatValue={money}
              formatTick={compactMoney}
              emptyMessage="No orders in this period."
            />
            <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
              <TimeSeriesChart
                title="Orders per day"
                description={`${formatCount(orders.orders)} orders, ${formatCount(orders.ordersWithUpshelf)} of them with an item Upshelf added.`}
                days={days}
                series={[
                  { key: "orders", label: "Orders", colour: COLOURS.total },
                  { key: "withUpshelf", label: "With Upshelf items", colour: COLOURS.upshelf },
                ]}
                values={{
                  orders: orders.daily.map((point) => point.orders),
                  withUpshelf: orders.daily.map((point) => point.ordersWithUpshelf),
                }}
                formatValue={formatCount}
                emptyMessage="No orders in this period."
              />
              <TimeSeriesChart
                title="Widget activity per day"
                description={`${formatCount(totals.impressions)} impressions, ${formatCount(totals.clicks)} clicks and ${formatCount(totals.adds)} adds to cart.`}
                days={dailyEvents.map((point) => point.day)}
                series={[
                  { key: "impressions", label: "Impressions", colour: COLOURS.total },
                  { key: "clicks", label: "Clicks", colour: COLOURS.upshelf },
                  { key: "adds", label: "Adds to cart", colour: COLOURS.third },
                ]}
                values={{
                  impressions: dailyEvents.map((point) => point.impressions),
                  clicks: dailyEvents.map((point) => point.clicks),
                  adds: dailyEvents.map((point) => point.addsToCart),
                }}
                formatValue={formatCount}
                emptyMessage="No widget was seen in this period."
              />
            </InlineGrid>
          </BlockStack>
        </Layout.Section>

        <Layout.Section>
          <PlacementTable placements={placements} />
        </Layout.Section>

        <Layout.Section>
          <InlineGrid columns={{ xs: 1, lg: 2 }} gap="400">
            <TopPerformersCard
              title="Top offers"
              rows={dashboard.topOffers}
              currency={currency}
              emptyMessage="No offer was shown, clicked or bought in this period. Create bundles, tiers or upgrade ladders to start."
            />
            <TopPerformersCard
              title="Top recommended products"
              rows={dashboard.topProducts}
              currency={currency}
              emptyMessage="No recommended product was clicked or bought in this period."
            />
          </InlineGrid>
        </Layout.Section>

        <Layout.Section>
          <Card>
            <BlockStack gap="200">
              <Text as="h3" variant="headingMd">
                What Upshelf learns from
              </Text>
              <InlineGrid columns={{ xs: 1, sm: 2 }} gap="400">
                <BlockStack gap="100">
                  <Text as="p" tone="subdued">
                    Products
                  </Text>
                  <Text as="p" variant="headingLg" id="stat-products">
                    {formatCount(counts.products)}
                  </Text>
                </BlockStack>
                <BlockStack gap="100">
                  <Text as="p" tone="subdued">
                    Orders
                  </Text>
                  <Text as="p" variant="headingLg" id="stat-orders">
                    {formatCount(counts.orders)}
                  </Text>
                </BlockStack>
              </InlineGrid>
              <Text as="p" variant="bodySm" tone="subdued">
                Pins, exclusions and a preview of every widget are on the <RemixLink to="/app/recommendations">Recommendations</RemixLink> page.
              </Text>
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
