import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigate, useNavigation, useSubmit } from "@remix-run/react";
import { Badge, Banner, BlockStack, Button, Card, DataTable, InlineStack, Layout, List, Modal, Page, Select, Text } from "@shopify/polaris";
import { useState } from "react";
import { z } from "zod";
import { formatAmount, formatCount, formatDateTime, formatShare } from "~/components/dashboard/format";
import { describeExperiment, type ExperimentVerdict } from "~/core/experiments";
import { listExperiments, runningExperiment, startExperiment, stopExperiment } from "~/models/experiment.server";
import { authenticateAdmin } from "~/services/admin-auth.server";
import { readAdminForm } from "~/services/admin-form.server";
import { loadExperimentResults } from "~/services/experiment-results.server";
import { fieldErrors, jsonError } from "~/services/http.server";
import { syncStorefrontIndex } from "~/services/storefront-index-sync.server";
import { titleMeta } from "~/components/page-title";
import { keepPageWhenUnreachable, unreachableMessage } from "~/components/unreachable";

/**
 * The holdout test: a share of the storefront's visitors sees no Upshelf widget, and the page
 * compares what visitors of the two groups spent. Starting or stopping tells the storefront at once
 * (the app-data metafield the widgets read); the figures come from orders whose cart the widgets
 * marked, so they build up as buyers check out.
 */
export const HOLDOUT_SHARES = ["5", "10", "20", "50"] as const;

const actionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("start"), holdoutPercent: z.enum(HOLDOUT_SHARES, { message: "Choose 5, 10, 20 or 50%." }) }),
  // The test the page showed: a Stop from a page opened before it ended must not end a newer one.
  z.object({ intent: z.literal("stop"), key: z.string().regex(/^[a-z0-9]{1,16}$/, "Reload the page and try again.") }),
]);

export const meta = () => titleMeta("Holdout test");

const testKey = z.string().regex(/^[a-z0-9]{1,16}$/);

export async function loader({ request }: LoaderFunctionArgs) {
  const { shopId } = await authenticateAdmin(request);
  // ?test=<key>: an earlier test's results; a new test would otherwise hide them for good.
  const asked = new URL(request.url).searchParams.get("test");
  if (asked !== null && !testKey.safeParse(asked).success) return notFound();
  const [results, running, tests] = await Promise.all([loadExperimentResults(shopId, asked ?? undefined), runningExperiment(shopId), listExperiments(shopId)]);
  if (asked !== null && !results) return notFound();
  const timeZoneOf = results?.timeZone ?? "UTC";
  const choices = tests.map((row) => ({
    key: row.key,
    label: `${row.endedAt ? "" : "Running: "}${formatDateTime(row.startedAt.toISOString(), timeZoneOf)}${row.endedAt ? ` to ${formatDateTime(row.endedAt.toISOString(), timeZoneOf)}` : ""}, ${row.holdoutBasisPoints / 100}% held out`,
  }));
  const runningTest = running && { key: running.key, startedAt: formatDateTime(running.startedAt.toISOString(), timeZoneOf), holdoutPercent: running.holdoutBasisPoints / 100 };
  if (!results) return { test: null, running: runningTest, tests: choices };
  const { experiment, currency, timeZone, summary, ordersInOtherCurrencies } = results;
  const money = (minor: number) => formatAmount(Math.round(minor), currency);
  return {
    running: runningTest,
    tests: choices,
    test: {
      key: experiment.key,
      running: experiment.endedAt === null,
      holdoutPercent: experiment.holdoutBasisPoints / 100,
      startedAt: formatDateTime(experiment.startedAt.toISOString(), timeZone),
      endedAt: experiment.endedAt ? formatDateTime(experiment.endedAt.toISOString(), timeZone) : null,
      currency,
      verdict: summary.verdict,
      sentences: describeExperiment(summary, money, { ended: experiment.endedAt !== null }),
      groups: summary.groups,
      ordersInOtherCurrencies,
    },
  };
}

function notFound(): never {
  throw jsonError(404, "unknown_test", "This shop has no holdout test with that key.");
}

export async function action({ request }: ActionFunctionArgs) {
  const { shopId } = await authenticateAdmin(request);
  const parsed = actionSchema.safeParse(Object.fromEntries(await readAdminForm(request)));
  if (!parsed.success) {
    return data({ ok: false, message: "Nothing was changed.", fields: fieldErrors(parsed.error.issues), errors: [] as string[] }, { status: 400 });
  }
  const now = new Date();
  let message: string;
  if (parsed.data.intent === "start") {
    const result = await startExperiment(shopId, Number(parsed.data.holdoutPercent) * 100, now);
    // A second submit (or another tab) finds the test already running.
    if (!("alreadyRunning" in result)) message = `Holdout test started: ${parsed.data.holdoutPercent}% of visitors will not see Upshelf.`;
    else {
      // Another tab (or a page opened before it started) asked for another share: say it was not applied.
      const runningPercent = result.alreadyRunning.holdoutBasisPoints / 100;
      message =
        runningPercent === Number(parsed.data.holdoutPercent)
          ? "The holdout test is already running."
          : `A holdout test is already running with ${runningPercent}% of visitors held out, so ${parsed.data.holdoutPercent}% was not applied. To hold out another share, stop this test and start a new one.`;
    }
  } else if (await stopExperiment(shopId, now, parsed.data.key)) {
    message = "Holdout test stopped: every visitor sees Upshelf again. Its figures stay below.";
  } else {
    message = (await runningExperiment(shopId))
      ? "That test had already ended; the test running now was left as it is."
      : "No holdout test is running.";
  }
  // The storefront learns of the state from the app-data metafield. It is sent on every submit,
  // changed or not, so pressing the button again retries a send that failed; a failure is shown.
  const sync = await syncStorefrontIndex(shopId, { now });
  return { ok: sync.ok, message, fields: {}, errors: sync.errors };
}

const VERDICT_BADGES: Record<ExperimentVerdict, { tone: "success" | "critical" | "info" | "attention" | undefined; label: string }> = {
  lift: { tone: "success", label: "Upshelf raised spend" },
  drop: { tone: "critical", label: "Visitors spent less with Upshelf" },
  uncertain: { tone: "info", label: "No clear difference yet" },
  too_early: { tone: undefined, label: "Collecting orders" },
  split_mismatch: { tone: "attention", label: "Split is off: figures not reliable" },
};

/** A start or stop that never reached Upshelf: the page stays and says so (docs/decisions/0013). */
export const clientAction = keepPageWhenUnreachable(({ intent }) => ({
  ok: false as const,
  message: unreachableMessage({ outcome: intent === "stop" ? "the test may or may not have been stopped" : "the test may or may not have started" }),
  fields: {} as Record<string, string[]>,
  errors: [] as string[],
}));

export default function HoldoutPage() {
  const { test, running, tests } = useLoaderData<typeof loader>();
  const navigate = useNavigate();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const submit = useSubmit();
  const busy = navigation.state === "submitting";
  const [share, setShare] = useState<string>("10");
  // Stopping cannot be undone (a new test reshuffles every visitor), so it is asked first, as
  // deleting an offer is.
  const [confirmingStop, setConfirmingStop] = useState(false);
  const problems = result ? [...result.errors, ...Object.values(result.fields).flat()] : [];

  return (
    <Page title="Holdout test" subtitle="Measure what Upshelf adds, against visitors who do not see it">
      <Layout>
        {result ? (
          <Layout.Section>
            <Banner tone={result.ok ? "success" : "critical"} title={result.message}>
              {/* A body only when there is something to say beyond the title. */}
              {problems.length > 0 ? (
                <List>
                  {problems.map((problem) => (
                    <List.Item key={problem}>{problem}</List.Item>
                  ))}
                </List>
              ) : undefined}
            </Banner>
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                How it works
              </Text>
              <Text as="p">
                While the test runs, each visitor is put in a group once, at random, and stays in it on that browser. Visitors in
                the holdout see no Upshelf widget in your store; everyone else sees them as usual. Checkout still applies your
                offers&apos; discounts to every buyer who qualifies, and post-purchase offers are made to both groups alike. Orders are compared by what visitors spent (after discounts and refunds,
                before shipping and tax), so the difference is what showing Upshelf changed, not what big spenders would have spent
                anyway.
              </Text>
              {running ? (
                <InlineStack gap="300" blockAlign="center">
                  <Text as="p">
                    Running since {running.startedAt}, with {running.holdoutPercent}% of visitors held out. The share cannot change
                    while the test runs (visitors would move between groups): stop it and start a new test to use another.
                  </Text>
                  <Button loading={busy} tone="critical" onClick={() => setConfirmingStop(true)}>
                    Stop the test
                  </Button>
                </InlineStack>
              ) : (
                <Form method="post">
                  <input type="hidden" name="intent" value="start" />
                  <InlineStack gap="300" blockAlign="end">
                    <div style={{ minWidth: 220 }}>
                      <Select
                        label="Visitors held out"
                        name="holdoutPercent"
                        options={HOLDOUT_SHARES.map((value) => ({ label: `${value}%`, value }))}
                        value={share}
                        onChange={setShare}
                        helpText="A larger holdout answers sooner but shows Upshelf to fewer visitors."
                      />
                    </div>
                    <Button submit variant="primary" loading={busy}>
                      Start a holdout test
                    </Button>
                  </InlineStack>
                </Form>
              )}
            </BlockStack>
          </Card>
        </Layout.Section>

        {test ? (
          <Layout.Section>
            <Card>
              <BlockStack gap="400">
                {tests.length > 1 ? (
                  <div style={{ maxWidth: 420 }}>
                    <Select
                      label="Show the results of"
                      options={tests.map((choice) => ({ label: choice.label, value: choice.key }))}
                      value={test.key}
                      onChange={(key) => navigate(`?test=${key}`)}
                    />
                  </div>
                ) : null}
                <InlineStack gap="200" blockAlign="center">
                  <Text as="h2" variant="headingMd">
                    {test.running ? "Results so far" : `Results of the test ended ${test.endedAt ?? test.startedAt}`}
                  </Text>
                  <Badge tone={VERDICT_BADGES[test.verdict].tone}>
                    {test.verdict === "too_early" && !test.running ? "Too few orders to compare" : VERDICT_BADGES[test.verdict].label}
                  </Badge>
                </InlineStack>
                <BlockStack gap="200" id="holdout-verdict">
                  {test.sentences.map((sentence) => (
                    <Text as="p" key={sentence}>
                      {sentence}
                    </Text>
                  ))}
                </BlockStack>
                <DataTable
                  columnContentTypes={["text", "numeric", "numeric", "numeric", "numeric", "numeric"]}
                  headings={["Group", "Visitors", "Orders", "Visitors who ordered", "Average order value", "Spent per visitor"]}
                  rows={(["shown", "holdout"] as const).map((group) => {
                    const figures = test.groups[group];
                    return [
                      group === "shown" ? "Saw Upshelf" : "Held out",
                      formatCount(figures.visitors),
                      formatCount(figures.orders),
                      formatShare(figures.conversionRate),
                      formatAmount(figures.averageOrderValue, test.currency),
                      formatAmount(figures.revenuePerVisitor, test.currency),
                    ];
                  })}
                />
                <Text as="p" variant="bodySm" tone="subdued">
                  Visitors are counted once per browser when a page with Upshelf loads; orders count when placed while the test ran,
                  in {test.currency}
                  {test.ordersInOtherCurrencies > 0 ? ` (${formatCount(test.ordersInOtherCurrencies)} in other currencies are left out)` : ""}.
                  Intervals are 95%.
                </Text>
              </BlockStack>
            </Card>
          </Layout.Section>
        ) : null}
      </Layout>
      {/* Mounted only while open, as the offer list's delete confirmation (a closed Polaris modal
          can stay in the DOM after the page re-renders, an invisible dialog screen readers announce). */}
      {running && confirmingStop ? (
        <Modal
          open
          onClose={() => setConfirmingStop(false)}
          title="Stop the holdout test?"
          primaryAction={{
            content: "Stop the test",
            destructive: true,
            onAction: () => {
              // The test the page showed: a stale page must not end a newer one.
              submit({ intent: "stop", key: running.key }, { method: "post" });
              setConfirmingStop(false);
            },
          }}
          secondaryActions={[{ content: "Cancel", onAction: () => setConfirmingStop(false) }]}
        >
          <Modal.Section>
            <BlockStack gap="200">
              <Text as="p">
                Every visitor sees Upshelf again at once. The results so far are kept: this page still shows them, and orders placed
                after the stop are not counted.
              </Text>
              <Text as="p">
                This cannot be undone: a stopped test cannot be resumed. To measure again, start a new test; it puts every visitor
                in a new group and counts from zero.
              </Text>
            </BlockStack>
          </Modal.Section>
        </Modal>
      ) : null}
    </Page>
  );
}
