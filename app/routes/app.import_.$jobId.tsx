import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useFetcher, useLoaderData, useNavigation, useSubmit, type MetaFunction } from "@remix-run/react";
import {
  Banner,
  BlockStack,
  Button,
  Card,
  DataTable,
  InlineGrid,
  InlineStack,
  Layout,
  Link,
  Page,
  ProgressBar,
  Text,
} from "@shopify/polaris";
import { z } from "zod";
import { formatDateTime } from "~/components/dashboard/format";
import { rowIdSchema } from "~/models/integer-columns";
import { findShop } from "~/models/shop.server";
import { authenticateAdmin } from "~/services/admin-auth.server";
import { readAdminForm } from "~/services/admin-form.server";
import { cancelCsvImport, findCsvImport, findJobStatus, resumeCsvImport, type ImportResumeState } from "~/services/csv-import/import-jobs.server";
import {
  cancelledSummary,
  importOutcome,
  importTaughtRecommendations,
  isActive,
  KIND_LABELS,
  outcomeBadge,
  progressPercent,
  reportFigures,
  reportNotices,
  skippedRowsNote,
  type ImportStatus,
  type ReportNotice,
  STATUS_LABELS,
} from "~/services/csv-import/report-view";
import { jsonError } from "~/services/http.server";
import { titleMeta } from "~/components/page-title";
import { useRefreshWhile } from "~/components/use-refresh-while";
import { keepDataWhenUnreachable, keepPageWhenUnreachable, unreachableMessage } from "~/components/unreachable";
import { UpdatesPaused } from "~/components/updates-paused";

const paramsSchema = z.object({ jobId: rowIdSchema });

/** The shop's import named by the URL; another shop's import and no import at all are both 404. */
async function importOf(shopId: string, params: Record<string, string | undefined>) {
  const parsed = paramsSchema.safeParse(params);
  const job = parsed.success ? await findCsvImport(shopId, parsed.data.jobId) : null;
  if (!job) throw jsonError(404, "not_found", "There is no such import in this shop.");
  return job;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { shopId } = await authenticateAdmin(request);
  const job = await importOf(shopId, params);
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
    resume: resumeView(job.resume),
    resumedFrom: job.resumedFrom,
  };
}

type ResumeView = { state: "available"; until: string } | Exclude<ImportResumeState, { state: "available" }>;

function resumeView(resume: ImportResumeState | null): ResumeView | null {
  if (resume?.state === "available") return { state: "available", until: resume.until.toISOString() };
  return resume;
}

export type CancelResult = { ok: true; status: "cancelled" | "cancelling" } | { ok: false; message: string };
export type ResumeRefusal = { ok: false; message: string };

const RESUME_REFUSALS = {
  file_gone: "The file is no longer kept, so this import cannot be resumed. Upload the same file again: what was already imported comes back unchanged, not twice.",
  not_cancelled: "Only a cancelled import can be resumed, and this one is not.",
} as const;

/**
 * Cancel the import (intent "cancel"), or resume a cancelled one (intent "resume"): the merchant
 * is then sent to the import that carries on.
 */
export async function action({ request, params }: ActionFunctionArgs): Promise<CancelResult | ResumeRefusal | Response> {
  const { shopId } = await authenticateAdmin(request);
  const form = await readAdminForm(request);
  const job = await importOf(shopId, params);
  const intent = form.get("intent");
  if (intent === "resume") {
    const resumed = await resumeCsvImport(shopId, job.id);
    if (resumed.resumed) return redirect(`/app/import/${resumed.jobId}`);
    return { ok: false, message: RESUME_REFUSALS[resumed.reason] };
  }
  if (intent !== "cancel") {
    return jsonError(400, "invalid_request", 'The actions here are intent "cancel" and "resume".', {}, { intent: ['Must be "cancel" or "resume".'] });
  }
  const status = await cancelCsvImport(shopId, job.id);
  // Ended meanwhile (the page had not refreshed yet): the report below now says how.
  if (status === null) return { ok: false, message: "This import had already ended, so there was nothing to cancel." };
  return { ok: true, status };
}

/** The report refreshes while its import runs: a refresh that gets no answer keeps the page as it was. */
export const clientLoader = keepDataWhenUnreachable();

/** A cancel or resume that never reached Upshelf: the page stays and says so (docs/decisions/0013). */
export const clientAction = keepPageWhenUnreachable(({ intent }): ResumeRefusal => ({
  ok: false,
  message: unreachableMessage({ outcome: intent === "resume" ? "the import may or may not have been resumed" : "the import may or may not have been cancelled" }),
}));

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

const aboutImportedItems = (notice: ReportNotice) => notice.outcome === "no_item_matched" || notice.outcome === "some_items_unmatched";

/** What the finished import came to (report-view's notices): what happened, and what to do. */
function OutcomeBanners({ notices }: { notices: ReportNotice[] }) {
  return (
    <BlockStack gap="300">
      {notices.map((notice) => (
        <Banner key={notice.outcome} tone={notice.tone} title={notice.title}>
          <p id={`import-outcome-${notice.outcome}`}>{notice.body}</p>
        </Banner>
      ))}
    </BlockStack>
  );
}

/**
 * The recommendations rebuild the import started, while the page watches it. `taught`: false for
 * orders none of whose line items matched a product, which the rebuild learns nothing from; the
 * page then says only why it is still refreshing.
 */
function RebuildBanner({ status, taught }: { status: string; taught: boolean }) {
  if (!taught) {
    if (!isActive(status as ImportStatus)) return null;
    return (
      <Banner tone="info" title="Rebuilding recommendations">
        <p>Upshelf rebuilds its recommendations after every import; with none of these orders&apos; line items matched to a product, they will not change from them.</p>
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

/**
 * Stops a running import after the batch it is writing. No confirmation: nothing imported is
 * undone, and uploading the file again carries on where it stopped.
 */
function CancelButton() {
  const fetcher = useFetcher<CancelResult>();
  const refused = fetcher.state === "idle" && fetcher.data && !fetcher.data.ok ? fetcher.data.message : null;
  return (
    <BlockStack gap="200">
      <InlineStack>
        <Button onClick={() => fetcher.submit({ intent: "cancel" }, { method: "post" })} loading={fetcher.state !== "idle"}>
          Cancel import
        </Button>
      </InlineStack>
      {refused ? (
        <Text as="p" tone="subdued" id="import-cancel-refused">
          {refused}
        </Text>
      ) : null}
    </BlockStack>
  );
}

/**
 * One tap carries a cancelled import on from where it stopped, with the file Upshelf kept; the
 * merchant lands on the import that continues it. A page navigation, not a fetcher: the redirect
 * to the new import must win over this page's own refreshes, and this button unmounts once the
 * page reloads showing the import resumed.
 */
function ResumeButton() {
  const submit = useSubmit();
  const navigation = useNavigation();
  const result = useActionData<typeof action>();
  const resuming = navigation.state !== "idle" && navigation.formData?.get("intent") === "resume";
  const refused = !resuming && result && !result.ok ? result.message : null;
  return (
    <BlockStack gap="200">
      <InlineStack>
        <Button variant="primary" onClick={() => submit({ intent: "resume" }, { method: "post" })} loading={resuming}>
          Resume import
        </Button>
      </InlineStack>
      {refused ? (
        <Text as="p" id="import-resume-refused">
          {refused}
        </Text>
      ) : null}
    </BlockStack>
  );
}

/** What the cancelled banner offers for the rest of the file. */
function RestOfTheFile({ resume, timeZone }: { resume: ResumeView | null; timeZone: string }) {
  if (resume?.state === "available") {
    return (
      <BlockStack gap="200">
        <p id="import-resume">
          Upshelf keeps the file until {formatDateTime(resume.until, timeZone)} so you can resume: the import carries on from where it
          stopped, and what it already imported is not read again.
        </p>
        <ResumeButton />
      </BlockStack>
    );
  }
  if (resume?.state === "resumed") {
    return (
      <BlockStack gap="200">
        <p id="import-resume">This import was resumed: the rest of the file is imported by the import that carries it on.</p>
        <InlineStack>
          <Button url={`/app/import/${resume.jobId}`}>View the resumed import</Button>
        </InlineStack>
      </BlockStack>
    );
  }
  return (
    <BlockStack gap="200">
      <p id="import-resume">
        The file is no longer kept, so this import cannot be resumed. To import the rest, upload the same file again: what was already
        imported comes back unchanged, not twice.
      </p>
      <InlineStack>
        <Button url="/app/import">Upload the file again</Button>
      </InlineStack>
    </BlockStack>
  );
}

export default function ImportReportPage() {
  const job = useLoaderData<typeof loader>();
  const running = isActive(job.status);
  const waiting = running || isActive(job.rebuildStatus as typeof job.status | null);

  // The import runs on the server whether or not this page is open; the page only watches it.
  const paused = useRefreshWhile(waiting, 1_000);

  const title = reportTitle(job);
  const percent = progressPercent(job.progressDone, job.progressTotal);
  const report = job.report;
  const listed = report?.skipped ?? [];
  const notListed = report ? report.skippedRows - listed.length : 0;
  const skippedNote = report ? skippedRowsNote(listed.length, report.skippedRows) : null;
  // A cancelled import says how far it got in its own banner: of the notices about a whole file,
  // only those about the line items of the orders it imported still hold.
  const notices = report && job.status === "done" ? reportNotices(report) : report && job.status === "cancelled" ? reportNotices(report).filter(aboutImportedItems) : [];

  return (
    <Page
      title={title}
      subtitle={`Uploaded ${formatDateTime(job.createdAt, job.timeZone)} · ${job.status === "done" && report ? outcomeBadge(importOutcome(report)).label : STATUS_LABELS[job.status]}`}
      backAction={{ content: "Import", url: "/app/import" }}
      primaryAction={running ? undefined : { content: "Import another file", url: "/app/import" }}
    >
      <Layout>
        {paused ? (
          <Layout.Section>
            <UpdatesPaused message={paused} />
          </Layout.Section>
        ) : null}
        {job.resumedFrom !== null ? (
          <Layout.Section>
            <Text as="p" id="import-resumed-from">
              This import resumes <Link url={`/app/import/${job.resumedFrom}`}>a cancelled one</Link> from where it stopped, with the same
              file: its progress and figures are the whole file&apos;s.
            </Text>
          </Layout.Section>
        ) : null}
        {running ? (
          <Layout.Section>
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd" id="import-progress-label">
                  {job.status === "queued" ? "Waiting to start" : job.status === "cancelling" ? "Cancelling" : "Importing"}
                </Text>
                <ProgressBar progress={percent} tone="highlight" ariaLabelledBy="import-progress-label" />
                <Text as="p" tone="subdued" id="import-progress-text">
                  {job.progressTotal
                    ? `${job.progressDone.toLocaleString("en")} of ${job.progressTotal.toLocaleString("en")} rows read (${percent}%).`
                    : "Reading the file…"}{" "}
                  {job.status === "cancelling"
                    ? "The import stops once the batch it is writing is saved; everything imported until then is kept."
                    : "You can leave this page: the import keeps running."}
                </Text>
                {job.status === "cancelling" ? null : <CancelButton />}
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

        {job.status === "cancelled" ? (
          <Layout.Section>
            <Banner tone="warning" title="The import was cancelled">
              <p id="import-cancelled">{cancelledSummary(job.progressDone, job.progressTotal)}</p>
              {report && report.imported > 0 ? (
                <p>{`The ${report.imported.toLocaleString("en")} ${job.kind === "orders" ? "orders" : "products"} imported before it stopped are kept, each whole.`}</p>
              ) : null}
              <RestOfTheFile resume={job.resume} timeZone={job.timeZone} />
            </Banner>
          </Layout.Section>
        ) : null}

        {notices.length > 0 ? (
          <Layout.Section>
            <OutcomeBanners notices={notices} />
          </Layout.Section>
        ) : null}

        {(job.status === "done" || job.status === "cancelled") && job.rebuildStatus !== null ? (
          <Layout.Section>
            <RebuildBanner status={job.rebuildStatus} taught={importTaughtRecommendations(report)} />
          </Layout.Section>
        ) : null}

        {report ? (
          <Layout.Section>
            <Card>
              <BlockStack gap="400">
                <Text as="h2" variant="headingMd">
                  {running ? "So far" : job.status === "cancelled" ? "Until it was cancelled" : "Report"}
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
                  {skippedNote ? (
                    <Text as="p" id="import-skipped-note">
                      {skippedNote}
                    </Text>
                  ) : null}
                </BlockStack>
              </div>
              <DataTable
                columnContentTypes={["numeric", "text"]}
                headings={["Row", "Why it was skipped"]}
                rows={listed.map((entry) => [entry.row, entry.reason])}
                footerContent={
                  notListed > 0
                    ? `${notListed.toLocaleString("en")} more skipped rows are not listed (see above for how to see them).`
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
