import { useFetcher } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, DataTable, ProgressBar, Text } from "@shopify/polaris";
import { describeBacktest, type BacktestFigures, type BacktestVerdict } from "~/core/analytics";
import { formatDay } from "~/components/dashboard/format";
import { useRefreshWhile } from "~/components/use-refresh-while";
import type { ActionResult } from "./action-result";
import { UpdatesPaused } from "~/components/updates-paused";

export interface BacktestJob {
  id: number;
  /** A job's status (jobs.server.ts); a backtest offers no cancel, so it is never cancelling or cancelled. */
  status: "queued" | "running" | "cancelling" | "done" | "failed" | "cancelled";
  progressDone: number;
  progressTotal: number | null;
  result: unknown;
  error: string | null;
  finishedAt: string | null;
}

type BacktestResult = ({ status: "done" } & BacktestFigures) | { status: "not_enough_data"; reason: string };

const POLL_MS = 1_500;

const VERDICT_TONE = { better: "success", similar: "info", uncertain: "info", worse: "warning" } as const satisfies Record<
  BacktestVerdict,
  "success" | "info" | "warning"
>;

/**
 * Runs the backtest as a background job (it keeps running if the page is closed) and states the
 * result in plain words, next to the best-sellers baseline.
 */
export function BacktestCard({ job }: { job: BacktestJob | null }) {
  const fetcher = useFetcher<ActionResult>();
  const active = job !== null && (job.status === "queued" || job.status === "running");
  const starting = fetcher.state !== "idle";
  // A start that was refused or never reached Upshelf (docs/decisions/0013).
  const refused = fetcher.state === "idle" && fetcher.data && !fetcher.data.ok ? fetcher.data.message : null;

  const paused = useRefreshWhile(active, POLL_MS);

  const result = job?.status === "done" ? (job.result as BacktestResult | null) : null;
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Backtest on your orders
        </Text>
        <Text as="p" tone="subdued">
          Hides your last four weeks of orders, learns from everything before, and checks how often Upshelf&apos;s top picks were
          bought together in those weeks, compared with simply showing your best-sellers.
        </Text>
        {active ? (
          <BlockStack gap="200">
            <Text as="p">{job.status === "queued" ? "Waiting to start…" : "Running the backtest…"}</Text>
            <ProgressBar
              progress={job.progressTotal ? Math.round((job.progressDone / job.progressTotal) * 100) : 0}
              size="small"
            />
            <Text as="p" variant="bodySm" tone="subdued">
              You can leave this page; the backtest keeps running.
            </Text>
          </BlockStack>
        ) : null}
        <UpdatesPaused message={paused} />
        {refused ? <Banner tone="critical" title={refused} /> : null}
        {job?.status === "failed" ? (
          <Banner tone="critical" title="The backtest failed">
            {job.error ?? "Unknown error."}
          </Banner>
        ) : null}
        {result?.status === "not_enough_data" ? (
          <Banner tone="warning" title="Not enough orders to backtest yet">
            {result.reason}
          </Banner>
        ) : null}
        {result?.status === "done" ? <BacktestSummaryView figures={result} finishedAt={job?.finishedAt ?? null} /> : null}
        <fetcher.Form method="post">
          <input type="hidden" name="intent" value="run-backtest" />
          <Button submit loading={starting} disabled={active || starting}>
            {job ? "Run the backtest again" : "Run the backtest"}
          </Button>
        </fetcher.Form>
      </BlockStack>
    </Card>
  );
}

function BacktestSummaryView({ figures, finishedAt }: { figures: BacktestFigures; finishedAt: string | null }) {
  const summary = describeBacktest(figures);
  const percent = (share: number) => `${(share * 100).toFixed(1)}%`;
  return (
    <BlockStack gap="200">
      <Banner tone={VERDICT_TONE[summary.verdict]}>
        <p id="backtest-headline">{summary.headline}</p>
      </Banner>
      {summary.details.map((detail) => (
        <Text as="p" variant="bodySm" key={detail}>
          {detail}
        </Text>
      ))}
      <DataTable
        columnContentTypes={["text", "numeric", "numeric"]}
        headings={[`Top ${figures.k}`, "Upshelf", "Best-sellers"]}
        rows={[
          ["Cart: hidden item found", percent(figures.cart.upshelf), percent(figures.cart.bestSellers)],
          ["Product page: items bought with it", percent(figures.pdp.upshelf), percent(figures.pdp.bestSellers)],
        ]}
      />
      {finishedAt ? (
        <Text as="p" variant="bodySm" tone="subdued">
          Run on {formatDay(finishedAt)}.
        </Text>
      ) : null}
    </BlockStack>
  );
}
