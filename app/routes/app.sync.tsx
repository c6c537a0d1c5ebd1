import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Badge, Banner, BlockStack, Button, Card, IndexTable, InlineStack, Layout, Page, ProgressBar, Text } from "@shopify/polaris";
import { formatDateTime } from "~/components/dashboard/format";
import { FAILED_DELIVERY_DAYS, PROCESSED_DELIVERY_DAYS } from "~/core/webhook-retention";
import { countShopCatalog, findShop } from "~/models/shop.server";
import { listRecordedAdminCalls } from "~/services/admin-api.server";
import { authenticateAdmin } from "~/services/admin-auth.server";
import { readAdminForm } from "~/services/admin-form.server";
import { checkoutDiscountState, type CheckoutDiscountState } from "~/services/discount-sync.server";
import { syncDiscountsAfterChange } from "~/services/offer-discount-sync.server";
import { jsonError } from "~/services/http.server";
import { listSyncJobs, startShopifySync } from "~/services/shopify-sync";
import { listCustomerDataExports, listWebhookDeliveries } from "~/services/webhooks";
import { CustomerDataCard } from "~/components/privacy/customer-data-card";
import { titleMeta } from "~/components/page-title";
import { useRefreshWhile } from "~/components/use-refresh-while";
import { isUnreachableAnswer, keepDataWhenUnreachable, keepPageWhenUnreachable, unreachableMessage, UNREACHABLE } from "~/components/unreachable";
import { UpdatesPaused } from "~/components/updates-paused";

const KIND_LABELS: Record<string, string> = {
  catalog_sync: "Products and variants",
  orders_backfill: "Order history",
  rebuild_recommendations: "Recommendations rebuilt",
};

const STATUS_TONES: Record<string, "info" | "success" | "critical" | "attention" | undefined> = {
  queued: "info",
  running: "attention",
  done: "success",
  failed: "critical",
  pending: "attention",
};

function percent(done: number, total: number | null): number | null {
  if (!total || total <= 0) return null;
  return Math.min(100, Math.round((done / total) * 100));
}

export const meta = () => titleMeta("Shopify data");

export async function loader({ request }: LoaderFunctionArgs) {
  const { mode, shopId } = await authenticateAdmin(request);
  const [shop, checkoutDiscount, jobs, counts, deliveries, recorded, customerData] = await Promise.all([
    findShop(shopId),
    checkoutDiscountState(shopId),
    listSyncJobs(shopId, 12),
    countShopCatalog(shopId),
    listWebhookDeliveries(shopId, 10),
    mode === "demo" ? listRecordedAdminCalls(shopId, 10) : Promise.resolve([]),
    listCustomerDataExports(shopId),
  ]);
  return {
    mode,
    // Times are shown in the shop's zone, formatted alike on the server and in the browser.
    timeZone: shop?.timeZone ?? "UTC",
    checkoutDiscount: {
      ...checkoutDiscount,
      syncedAt: checkoutDiscount.syncedAt?.toISOString() ?? null,
      shopifyEndsAt: checkoutDiscount.shopifyEndsAt?.toISOString() ?? null,
    },
    counts,
    jobs: jobs.map((job) => ({
      id: job.id,
      kind: job.kind,
      label: KIND_LABELS[job.kind] ?? job.kind,
      status: job.status,
      done: job.progressDone,
      total: job.progressTotal,
      percent: percent(job.progressDone, job.progressTotal),
      message: job.error ?? job.message,
      createdAt: job.createdAt.toISOString(),
    })),
    active: jobs.some((job) => job.status === "queued" || job.status === "running"),
    deliveries: deliveries.map((delivery) => ({ ...delivery, receivedAt: delivery.receivedAt.toISOString(), processedAt: delivery.processedAt?.toISOString() ?? null })),
    recordedCalls: recorded.map((call) => ({ id: call.id, operation: call.operation, variables: call.variables, createdAt: call.createdAt.toISOString() })),
    customerData: customerData.map((request) => ({ id: request.id, receivedAt: request.receivedAt.toISOString(), customerId: request.customerId, orders: request.orders })),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const { shopId } = await authenticateAdmin(request);
  const form = await readAdminForm(request);
  const intent = form.get("intent");
  if (intent === "restore-discount") {
    // The merchant asks for checkout's discount back (or a failed write retried now): the same
    // sync a saved offer runs, which also says what it had to bring back.
    const outcome = await syncDiscountsAfterChange(shopId);
    return { discount: { errors: outcome.errors, warnings: outcome.warnings } };
  }
  if (intent !== "sync") {
    return jsonError(400, "invalid_request", 'The actions here are intent "sync" and "restore-discount".', {}, { intent: ['Must be "sync" or "restore-discount".'] });
  }
  const job = await startShopifySync(shopId);
  return { started: job.id };
}

/** The page refreshes while a sync runs: a refresh that gets no answer keeps the page as it was. */
export const clientLoader = keepDataWhenUnreachable();

/** A sync or restore that never reached Upshelf: the page stays and says so (docs/decisions/0013). */
export const clientAction = keepPageWhenUnreachable(({ intent }) => ({
  error: UNREACHABLE,
  message: unreachableMessage({ outcome: intent === "restore-discount" ? "checkout's discount may or may not have been written" : "the sync may or may not have started" }),
}));

type DiscountStatus = CheckoutDiscountState["status"];
interface DiscountOutcome {
  readonly errors: readonly string[];
  readonly warnings: readonly string[];
}

const DISCOUNT_BADGES: Record<DiscountStatus, { tone: "success" | "info" | "critical" | "warning" | undefined; label: string }> = {
  none: { tone: undefined, label: "Not needed" },
  synced: { tone: "success", label: "Active" },
  recorded: { tone: "info", label: "Recorded (demo)" },
  error: { tone: "critical", label: "Not written" },
  deleted_in_shopify: { tone: "warning", label: "Deleted in Shopify" },
  deactivated_in_shopify: { tone: "warning", label: "Switched off in Shopify" },
};

function discountExplanation(discount: { status: DiscountStatus; syncedAt: string | null; shopifyEndsAt: string | null }, timeZone: string): string {
  const when = (iso: string) => formatDateTime(iso, timeZone);
  const on = discount.status === "synced" || discount.status === "recorded";
  const ends = on && discount.shopifyEndsAt ? ` It ends ${when(discount.shopifyEndsAt)}, a date set in Shopify's admin.` : "";
  const written = `${discount.syncedAt ? ` Last written ${when(discount.syncedAt)}.` : ""}${ends}`;
  switch (discount.status) {
    case "none":
      return "No active offer needs a discount at checkout right now.";
    case "synced":
      return `Checkout applies your offers' savings, as the storefront shows them.${written}`;
    case "recorded":
      return `Demo shop: the discount's configuration is recorded below, not sent to Shopify.${written}`;
    case "error":
      return "Until a write succeeds the storefront shows offers without promising savings. Upshelf tries again every 10 minutes.";
    case "deleted_in_shopify":
    case "deactivated_in_shopify":
      return "Upshelf leaves it that way. Restore it to give buyers your offers' savings again, or pause the offers you no longer want.";
  }
}

function CheckoutDiscountCard({
  discount,
  submitting,
  timeZone,
}: {
  discount: { status: DiscountStatus; lastError: string | null; syncedAt: string | null; shopifyEndsAt: string | null };
  submitting: boolean;
  timeZone: string;
}) {
  const badge = DISCOUNT_BADGES[discount.status];
  const fixable = discount.status === "error" || discount.status === "deleted_in_shopify" || discount.status === "deactivated_in_shopify";
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center">
          <InlineStack gap="200" blockAlign="center">
            <Text as="h2" variant="headingMd">
              Checkout discount
            </Text>
            <Badge tone={badge.tone}>{badge.label}</Badge>
          </InlineStack>
          {fixable ? (
            <Form method="post">
              <input type="hidden" name="intent" value="restore-discount" />
              <Button submit loading={submitting}>
                {discount.status === "error" ? "Try again now" : "Restore discount"}
              </Button>
            </Form>
          ) : null}
        </InlineStack>
        {discount.lastError ? (
          <Text as="p" tone={discount.status === "error" ? "critical" : undefined}>
            {discount.lastError}
          </Text>
        ) : null}
        <Text as="p" tone="subdued">
          {discountExplanation(discount, timeZone)}
        </Text>
      </BlockStack>
    </Card>
  );
}

export default function ShopifyDataPage() {
  const { mode, timeZone, checkoutDiscount, counts, jobs, active, deliveries, recordedCalls, customerData } = useLoaderData<typeof loader>();
  const when = (iso: string) => formatDateTime(iso, timeZone);
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const restoring = navigation.state === "submitting" && navigation.formData?.get("intent") === "restore-discount";
  const submitting = navigation.state === "submitting" && navigation.formData?.get("intent") === "sync";
  const discountOutcome: DiscountOutcome | null = result && "discount" in result ? (result.discount as DiscountOutcome) : null;

  // While a sync runs, refresh its progress every two seconds.
  const paused = useRefreshWhile(active, 2_000);

  return (
    <Page title="Shopify data" subtitle={`${counts.products.toLocaleString("en")} products · ${counts.orders.toLocaleString("en")} orders in Upshelf`}>
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            {mode === "demo" ? (
              <Banner tone="info" title="Demo shop: nothing is fetched from Shopify">
                <p>
                  This shop&apos;s catalog and orders come from the bundled demo data. &ldquo;Sync now&rdquo; runs the same jobs a
                  real shop runs, but each Admin API call is only recorded (below), never sent.
                </p>
              </Banner>
            ) : null}
            <UpdatesPaused message={paused} />
            {isUnreachableAnswer(result) && navigation.state === "idle" ? <Banner tone="critical" title={result.message} /> : null}
            {discountOutcome?.errors.map((error) => (
              <Banner key={error} tone="critical" title="Checkout's discount could not be written">
                <p>{error}</p>
              </Banner>
            ))}
            {discountOutcome?.warnings.map((warning) => <Banner key={warning} tone="info" title={warning} />)}
            <CheckoutDiscountCard discount={checkoutDiscount} submitting={restoring} timeZone={timeZone} />
            <Card>
              <BlockStack gap="300">
                <InlineStack align="space-between" blockAlign="center">
                  <Text as="h2" variant="headingMd">
                    Sync with Shopify
                  </Text>
                  <Form method="post">
                    <input type="hidden" name="intent" value="sync" />
                    <Button submit variant="primary" loading={submitting} disabled={active}>
                      {active ? "Sync running" : "Sync now"}
                    </Button>
                  </Form>
                </InlineStack>
                <Text as="p" tone="subdued">
                  Fetches every product and variant, then the order history (one bulk operation), then rebuilds
                  recommendations. New orders and product changes arrive by webhook in between; syncing again is safe
                  and only writes what changed.
                </Text>
              </BlockStack>
            </Card>
            <Card padding="0">
              {jobs.length === 0 ? (
                <div style={{ padding: "var(--p-space-400)" }}>
                  <Text as="p" tone="subdued">
                    No sync has run for this shop yet.
                  </Text>
                </div>
              ) : (
                <IndexTable
                  resourceName={{ singular: "sync job", plural: "sync jobs" }}
                  itemCount={jobs.length}
                  selectable={false}
                  headings={[{ title: "Step" }, { title: "Status" }, { title: "Progress" }, { title: "Report" }, { title: "Started" }]}
                >
                  {jobs.map((job, index) => (
                    <IndexTable.Row id={String(job.id)} key={job.id} position={index}>
                      <IndexTable.Cell>{job.label}</IndexTable.Cell>
                      <IndexTable.Cell>
                        <Badge tone={STATUS_TONES[job.status]}>{job.status}</Badge>
                      </IndexTable.Cell>
                      <IndexTable.Cell>
                        {job.percent !== null && job.status === "running" ? (
                          <div style={{ minWidth: 120 }}>
                            <ProgressBar progress={job.percent} size="small" />
                          </div>
                        ) : (
                          <Text as="span">{job.total ? `${job.done.toLocaleString("en")} / ${job.total.toLocaleString("en")}` : job.done > 0 ? job.done.toLocaleString("en") : "—"}</Text>
                        )}
                      </IndexTable.Cell>
                      <IndexTable.Cell>
                        <Text as="span" tone={job.status === "failed" ? "critical" : undefined}>
                          {job.message ?? ""}
                        </Text>
                      </IndexTable.Cell>
                      <IndexTable.Cell>{when(job.createdAt)}</IndexTable.Cell>
                    </IndexTable.Row>
                  ))}
                </IndexTable>
              )}
            </Card>
            {mode === "demo" ? (
              <Card>
                <BlockStack gap="200">
                  <Text as="h2" variant="headingMd">
                    Calls a real shop would receive
                  </Text>
                  {recordedCalls.length === 0 ? (
                    <Text as="p" tone="subdued">
                      None recorded yet. Press &ldquo;Sync now&rdquo; to see them.
                    </Text>
                  ) : (
                    recordedCalls.map((call) => (
                      <BlockStack key={call.id} gap="100">
                        <Text as="p" fontWeight="semibold">
                          {call.operation} · {when(call.createdAt)}
                        </Text>
                        <Text as="p" tone="subdued" breakWord>
                          <code>{call.variables.length > 300 ? `${call.variables.slice(0, 300)}…` : call.variables}</code>
                        </Text>
                      </BlockStack>
                    ))
                  )}
                </BlockStack>
              </Card>
            ) : null}
            <CustomerDataCard requests={customerData} when={when} />
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  Latest webhooks
                </Text>
                <Text as="p" tone="subdued">
                  Each is kept {PROCESSED_DELIVERY_DAYS} days, long after Shopify stops sending it again; a failed one{" "}
                  {FAILED_DELIVERY_DAYS} days, with what it carried, so that the failure can be looked into.
                </Text>
                {deliveries.length === 0 ? (
                  <Text as="p" tone="subdued">
                    No webhook received in the last {PROCESSED_DELIVERY_DAYS} days.
                  </Text>
                ) : (
                  deliveries.map((delivery) => (
                    <InlineStack key={delivery.id} gap="200" blockAlign="center">
                      <Badge tone={STATUS_TONES[delivery.status]}>{delivery.status}</Badge>
                      <Text as="span">{delivery.topic}</Text>
                      <Text as="span" tone="subdued">
                        {when(delivery.receivedAt)}
                        {delivery.attempts > 1 ? ` · ${delivery.attempts} attempts` : ""}
                      </Text>
                      {delivery.lastError ? (
                        <Text as="span" tone="critical">
                          {delivery.lastError}
                        </Text>
                      ) : null}
                    </InlineStack>
                  ))
                )}
              </BlockStack>
            </Card>
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
