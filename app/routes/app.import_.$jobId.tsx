import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useRevalidator, type MetaFunction } from "@remix-run/react";
import {
  Banner,
  BlockStack,
  Card,
  DataTable,
  InlineGrid,
  Layout,
  Page,
  ProgressBar,
  Text,
} from "@shopify/polaris";
import { useEffect } from "react";
import { z } from "zod";
import { formatDateTime } from "~/components/dashboard/format";
import { rowIdSchema } from "~/models/integer-columns";
import { findShop } from "~/models/shop.server";
import { authenticateAdmin } from "~/services/admin-auth.server";
import { findCsvImport, findJobStatus } from "~/services/csv-import/import-jobs.server";
import {
  isActive,
  KIND_LABELS,
  progressPercent,
  reportFigures,
  STATUS_LABELS,
} from "~/services/csv-import/report-view";
import { jsonError } from "~/services/http.server";
import { titleMeta } from "~/components/page-title";

const paramsSchema = z.object({ jobId: rowIdSchema });

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { shopId } = await authenticateAdmin(request);
  const parsed = paramsSchema.safeParse(params);
  // Another shop's import and no import at all look the same from here: not found.
  const job = parsed.success ? await findCsvImport(shopId, parsed.data.jobId) : null;
  if (!job) throw jsonError(404, "not_found", "There is no such import in this shop.");
  const [rebuildStatus, shop] = await Promise.all([job.report?.rebuildJobId ? findJobStatus(shopId, job.report.rebuildJobId) : null, findShop(shopId)]);
  return {
    id: job.id,
    kind: job.kind,
    fileName: job.fileName,
    status: job.status,
    progressDone: job.progressDone,
    progressTotal: job.progressTotal,
    report: job.report,
    error: job.error,
    createdAt: job.createdAt.toISOString(),
    timeZone: shop?.timeZone ?? "UTC",
    rebuildStatus,
  };
}

/** "Products import: products_export.csv": the page's heading and its document title. */
function reportTitle(job: { kind: keyof typeof KIND_LABELS; fileName: string | null }): string {
  return job.fileName ? `${KIND_LABELS[job.kind]} import: ${job.fileName}` : `${KIND_LABELS[job.kind]} import`;
}

export const meta: MetaFunction<typeof loader> = ({ data }) => titleMeta(data ? reportTitle(data) : "Import");

function Figure({ id, label, value }: { id: string; label: string; value: number }) {
  return (
    <BlockStack gap="100">
      <Text as="p" tone="subdued">
        {label}
      </Text>
      <Text as="p" variant="headingLg" id={`import-${id}`}>
        {value.toLocaleString("en")}
      </Text>
    </BlockStack>
  );
}

function RebuildBanner({ status, rows }: { status: string | null; rows: number | null }) {
  if (rows === 0) {
    return (
      <Banner tone="warning" title="The file has no rows">
        <p>It holds a header row and nothing below it. Export the file again from Shopify, with the products or orders in it.</p>
      </Banner>
    );
  }
  if (status === null) {
    return (
      <Banner tone="info" title="Nothing new to learn">
        <p>This file held nothing Upshelf did not already have, so the recommendations were left as they were.</p>
      </Banner>
    );
  }
  if (status === "done") {
    return (
      <Banner tone="success" title="Recommendations rebuilt">
        <p>The widgets now recommend from what this import added.</p>
      </Banner>
    );
  }
  if (status === "failed") {
    return (
      <Banner tone="warning" title="The recommendations could not be rebuilt">
        <p>The import itself is saved. The recommendations will be rebuilt after the next import or sync.</p>
      </Banner>
    );
  }
  return (
    <Banner tone="info" title="Rebuilding recommendations">
      <p>Upshelf is learning from this import; the widgets switch to the new recommendations when it is done.</p>
    </Banner>
  );
}

export default function ImportReportPage() {
  const job = useLoaderData<typeof loader>();
  const revalidator = useRevalidator();
  const running = isActive(job.status);
  const waiting = running || isActive(job.rebuildStatus as typeof job.status | null);

  // The import runs on the server whether or not this page is open; the page only watches it.
  useEffect(() => {
    if (!waiting) return;
    const timer = setInterval(() => {
      if (revalidator.state === "idle") revalidator.revalidate();
    }, 1000);
    return () => clearInterval(timer);
  }, [waiting, revalidator]);

  const title = reportTitle(job);
  const percent = progressPercent(job.progressDone, job.progressTotal);
  const report = job.report;
  const listed = report?.skipped ?? [];
  const notListed = report ? report.skippedRows - listed.length : 0;

  return (
    <Page
      title={title}
      subtitle={`Uploaded ${formatDateTime(job.createdAt, job.timeZone)} · ${STATUS_LABELS[job.status]}`}
      backAction={{ content: "Import", url: "/app/import" }}
      primaryAction={running ? undefined : { content: "Import another file", url: "/app/import" }}
    >
      <Layout>
        {running ? (
          <Layout.Section>
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd" id="import-progress-label">
                  {job.status === "queued" ? "Waiting to start" : "Importing"}
                </Text>
                <ProgressBar progress={percent} tone="highlight" ariaLabelledBy="import-progress-label" />
                <Text as="p" tone="subdued" id="import-progress-text">
                  {job.progressTotal
                    ? `${job.progressDone.toLocaleString("en")} of ${job.progressTotal.toLocaleString("en")} rows read (${percent}%).`
                    : "Reading the file…"}{" "}
                  You can leave this page: the import keeps running.
                </Text>
              </BlockStack>
            </Card>
          </Layout.Section>
        ) : null}

        {job.status === "failed" ? (
          <Layout.Section>
            <Banner tone="critical" title="The import stopped">
              <p id="import-error">{job.error ?? "The import failed."}</p>
              <p>Anything imported before it stopped is kept. Fix the file and upload it again: rows already imported are not duplicated.</p>
            </Banner>
          </Layout.Section>
        ) : null}

        {job.status === "done" ? (
          <Layout.Section>
            <RebuildBanner status={job.rebuildStatus} rows={report?.rows ?? null} />
          </Layout.Section>
        ) : null}

        {report ? (
          <Layout.Section>
            <Card>
              <BlockStack gap="400">
                <Text as="h2" variant="headingMd">
                  {running ? "So far" : "Report"}
                </Text>
                <InlineGrid columns={{ xs: 2, md: 4 }} gap="400">
                  {reportFigures(report).map((figure) => (
                    <Figure key={figure.id} {...figure} />
                  ))}
                </InlineGrid>
              </BlockStack>
            </Card>
          </Layout.Section>
        ) : null}

        {report && report.skippedRows > 0 ? (
          <Layout.Section>
            <Card padding="0">
              <div style={{ padding: "var(--p-space-400)" }}>
                <BlockStack gap="100">
                  <Text as="h2" variant="headingMd">
                    Skipped rows
                  </Text>
                  <Text as="p" tone="subdued">
                    Row numbers are as a spreadsheet shows them (the header is row 1). Fix these rows and import the file
                    again; the rows already imported stay as they are.
                  </Text>
                </BlockStack>
              </div>
              <DataTable
                columnContentTypes={["numeric", "text"]}
                headings={["Row", "Why it was skipped"]}
                rows={listed.map((entry) => [entry.row, entry.reason])}
                footerContent={
                  notListed > 0
                    ? `${notListed.toLocaleString("en")} more skipped rows are not listed.`
                    : undefined
                }
              />
            </Card>
          </Layout.Section>
        ) : null}
      </Layout>
    </Page>
  );
}
