import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Button,
  Card,
  DropZone,
  IndexTable,
  InlineStack,
  Layout,
  Page,
  ProgressBar,
  Text,
} from "@shopify/polaris";
import { useCallback, useState } from "react";
import { formatDateTime, formatFileSize } from "~/components/dashboard/format";
import { findShop } from "~/models/shop.server";
import { authenticateAdmin } from "~/services/admin-auth.server";
import { CSV_FILE_SPECS, MAX_UPLOAD_BYTES, MAX_UPLOAD_LABEL, type CsvFileKind } from "~/services/csv-import/csv-files";
import { listCsvImports, startCsvImport } from "~/services/csv-import/import-jobs.server";
import {
  importOutcome,
  importStatusLabel,
  isActive,
  KIND_LABELS,
  outcomeBadge,
  progressPercent,
  RESUMED_BY_LINK_LABEL,
  type ImportOutcome,
  type ImportStatus,
  type ResumeState,
} from "~/services/csv-import/report-view";
import { CsvUploadError, readCsvUpload } from "~/services/csv-import/upload.server";
import { jsonError, type ErrorBody } from "~/services/http.server";
import { titleMeta } from "~/components/page-title";
import { useRefreshWhile } from "~/components/use-refresh-while";
import { isUnreachableAnswer, keepDataWhenUnreachable, keepPageWhenUnreachable, unreachableMessage, UNREACHABLE } from "~/components/unreachable";
import { UpdatesPaused } from "~/components/updates-paused";

export const meta = () => titleMeta("Import");

export async function loader({ request }: LoaderFunctionArgs) {
  const { shopId } = await authenticateAdmin(request);
  const [shop, imports] = await Promise.all([findShop(shopId), listCsvImports(shopId, 15)]);
  return {
    currency: shop?.currency ?? null,
    timeZone: shop?.timeZone ?? "UTC",
    imports: imports.map((job) => ({
      id: job.id,
      kind: job.kind,
      fileName: job.fileName,
      status: job.status,
      progress: progressPercent(job.progressDone, job.progressTotal),
      rows: job.report?.rows ?? null,
      imported: job.report?.imported ?? null,
      skippedRows: job.report?.skippedRows ?? null,
      // A finished import: what it came to (nothing imported, no item matched…), for its badge.
      outcome: job.status === "done" && job.report ? importOutcome(job.report) : null,
      createdAt: job.createdAt.toISOString(),
      // A cancelled import's file: still kept (until when is on its report page), or resumed by `resumedBy`.
      resume: job.resume?.state ?? null,
      resumedBy: job.resume?.state === "resumed" ? job.resume.jobId : null,
    })),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const { shopId } = await authenticateAdmin(request);
  try {
    const upload = await readCsvUpload(request);
    const job = await startCsvImport(shopId, upload.kind, { fileName: upload.fileName, text: upload.text });
    return redirect(`/app/import/${job.id}`);
  } catch (error) {
    if (error instanceof CsvUploadError) {
      return jsonError(error.status, error.code, error.message, {}, { [error.kind ?? "file"]: [error.message] });
    }
    throw error;
  }
}

/** The list refreshes while an import runs: a refresh that gets no answer keeps the page, and the chosen files. */
export const clientLoader = keepDataWhenUnreachable();

/**
 * An upload that never reached Upshelf: the file stays chosen on its card, and the page says so
 * (docs/decisions/0013).
 */
export const clientAction = keepPageWhenUnreachable(({ form }): ErrorBody => {
  const file = form.get("file");
  const name = typeof file === "object" && file !== null && file.name ? `“${file.name}”` : "the file";
  return { error: UNREACHABLE, message: unreachableMessage({ outcome: `${name} may or may not have been uploaded`, kept: "It is still chosen" }) };
});

const CARD_TEXT: Record<CsvFileKind, { title: string; where: string; how: string }> = {
  products: {
    title: "Products CSV",
    where: "In Shopify: Products › Export › All products, as a CSV for Excel, Numbers or other programs.",
    how: "Products already in Upshelf are matched by handle and variants by SKU, then options, so they are updated rather than duplicated. Import products before orders.",
  },
  orders: {
    title: "Orders CSV",
    where: "In Shopify: Orders › Export › All orders, as a CSV for Excel, Numbers or other programs.",
    how: "Line items are matched to your products by SKU, then by name. Orders Upshelf already has are updated, never duplicated.",
  },
};

/**
 * `otherUploading`: the other card's file is on its way. A second upload now would cancel it (the
 * page follows one submission at a time), and that file would silently not be imported.
 */
function UploadCard({ kind, error, busy, otherUploading }: { kind: CsvFileKind; error: string | undefined; busy: boolean; otherUploading: boolean }) {
  const submit = useSubmit();
  const [file, setFile] = useState<File | null>(null);
  const [localError, setLocalError] = useState<string | null>(null);
  // The server's error is about the file that was sent: choosing another one hides it.
  const [choseSinceUpload, setChoseSinceUpload] = useState(false);
  const text = CARD_TEXT[kind];
  const shownError = localError ?? (choseSinceUpload || busy ? null : (error ?? null));

  const onDrop = useCallback((_files: File[], accepted: File[], rejected: File[]) => {
    const chosen = accepted[0] ?? null;
    setChoseSinceUpload(true);
    if (!chosen) {
      setFile(null);
      setLocalError(rejected[0] ? `"${rejected[0].name}" is not a CSV file.` : null);
      return;
    }
    setFile(chosen);
    setLocalError(chosen.size > MAX_UPLOAD_BYTES ? `The file is larger than ${MAX_UPLOAD_LABEL}.` : null);
  }, []);

  const upload = () => {
    if (!file) return;
    const form = new FormData();
    // The kind goes first: the server reads the parts in order.
    form.append("kind", kind);
    form.append("file", file);
    setChoseSinceUpload(false);
    submit(form, { method: "post", encType: "multipart/form-data" });
  };

  const headingId = `import-${kind}-heading`;
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd" id={headingId}>
          {text.title}
        </Text>
        <Text as="p" tone="subdued">
          {text.where}
        </Text>
        <Text as="p">{text.how}</Text>
        <DropZone
          id={`import-${kind}-file`}
          label={`${text.title} file`}
          labelHidden
          accept=".csv,text/csv"
          type="file"
          allowMultiple={false}
          error={shownError !== null}
          onDrop={onDrop}
        >
          {file ? (
            <div style={{ padding: "var(--p-space-400)" }}>
              <BlockStack gap="100" inlineAlign="center">
                <Text as="p" fontWeight="semibold" id={`import-${kind}-chosen`}>
                  {file.name}
                </Text>
                <Text as="p" tone="subdued">
                  {formatFileSize(file.size)} · drop another file to replace it
                </Text>
              </BlockStack>
            </div>
          ) : (
            <DropZone.FileUpload actionTitle="Add file" actionHint={`Accepts .csv up to ${MAX_UPLOAD_LABEL}`} />
          )}
        </DropZone>
        {shownError ? (
          <Banner tone="critical" title={`This file cannot be imported as ${kind}`}>
            <p id={`import-${kind}-error`}>{shownError}</p>
          </Banner>
        ) : null}
        <Text as="p" tone="subdued" variant="bodySm">
          Needs the columns {CSV_FILE_SPECS[kind].required.join(", ")}.
        </Text>
        <InlineStack align="end" gap="300" blockAlign="center">
          {otherUploading ? (
            <Text as="p" tone="subdued" id={`import-${kind}-wait`}>
              {`Wait until the ${kind === "products" ? "orders" : "products"} file has uploaded.`}
            </Text>
          ) : null}
          <Button variant="primary" onClick={upload} disabled={!file || localError !== null || otherUploading} loading={busy}>
            {`Import ${kind}`}
          </Button>
        </InlineStack>
      </BlockStack>
    </Card>
  );
}

function statusBadge(status: ImportStatus, resume: ResumeState | null, outcome: ImportOutcome | null) {
  if (status === "done" && outcome) {
    const badge = outcomeBadge(outcome);
    return <Badge tone={badge.tone}>{badge.label}</Badge>;
  }
  const tone =
    status === "done" ? "success" : status === "failed" ? "critical" : status === "cancelled" ? (resume === "resumed" ? "info" : "warning") : status === "running" ? "attention" : "info";
  return <Badge tone={tone}>{importStatusLabel(status, resume)}</Badge>;
}

/** An import's status; a resumed one leads to the import that carries it on (newer, so above it in the list). */
function StatusCell({
  job,
}: {
  job: { id: number; status: ImportStatus; resume: ResumeState | null; resumedBy: number | null; outcome: ImportOutcome | null };
}) {
  if (job.resumedBy === null) return statusBadge(job.status, job.resume, job.outcome);
  return (
    <BlockStack gap="100" inlineAlign="start">
      {statusBadge(job.status, job.resume, job.outcome)}
      <Link to={`/app/import/${job.resumedBy}`} id={`import-${job.id}-resumed-by`}>
        {RESUMED_BY_LINK_LABEL}
      </Link>
    </BlockStack>
  );
}

const count = (value: number | null) => (value === null ? "–" : value.toLocaleString("en"));

export default function ImportPage() {
  const { imports, currency, timeZone } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as ErrorBody | undefined;
  const navigation = useNavigation();
  const uploadingKind = navigation.state === "submitting" ? (navigation.formData?.get("kind") as string | null) : null;
  const anyActive = imports.some((job) => isActive(job.status));

  // Imports run in the background; while one does, the list refreshes itself.
  const paused = useRefreshWhile(anyActive, 1_500);

  return (
    <Page title="Import" subtitle="Teach Upshelf your shop from Shopify's own CSV exports">
      <Layout>
        <Layout.Section>
          <Text as="p">
            Upload your products first, then your orders: Upshelf learns which products sell together from the orders and
            rebuilds its recommendations after every import. An import keeps running if you leave this page, and importing
            the same file again changes nothing.
            {currency ? ` Product prices are read in your shop's currency (${currency}).` : ""}
          </Text>
        </Layout.Section>
        {paused ? (
          <Layout.Section>
            <UpdatesPaused message={paused} />
          </Layout.Section>
        ) : null}
        {isUnreachableAnswer(actionData) && uploadingKind === null ? (
          <Layout.Section>
            <Banner tone="critical" title={actionData.message} />
          </Layout.Section>
        ) : null}
        <Layout.Section variant="oneHalf">
          <UploadCard kind="products" error={actionData?.fields?.products?.[0]} busy={uploadingKind === "products"} otherUploading={uploadingKind === "orders"} />
        </Layout.Section>
        <Layout.Section variant="oneHalf">
          <UploadCard kind="orders" error={actionData?.fields?.orders?.[0]} busy={uploadingKind === "orders"} otherUploading={uploadingKind === "products"} />
        </Layout.Section>
        {actionData?.fields?.file ? (
          <Layout.Section>
            <Banner tone="critical" title="The upload was refused">
              <p>{actionData.fields.file[0]}</p>
            </Banner>
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <Card padding="0">
            <div style={{ padding: "var(--p-space-400)" }}>
              <Text as="h2" variant="headingMd">
                Recent imports
              </Text>
            </div>
            <IndexTable
              resourceName={{ singular: "import", plural: "imports" }}
              itemCount={imports.length}
              selectable={false}
              emptyState={
                <div style={{ padding: "var(--p-space-400)" }}>
                  <Text as="p" tone="subdued">
                    No imports yet. Upload a products CSV to start.
                  </Text>
                </div>
              }
              headings={[
                { title: "File" },
                { title: "Type" },
                { title: "Status" },
                { title: "Rows", alignment: "end" },
                { title: "Imported", alignment: "end" },
                { title: "Skipped", alignment: "end" },
                { title: "Uploaded" },
              ]}
            >
              {imports.map((job, index) => (
                <IndexTable.Row id={String(job.id)} key={job.id} position={index}>
                  <IndexTable.Cell>
                    <Link to={`/app/import/${job.id}`}>{job.fileName || `Import ${job.id}`}</Link>
                  </IndexTable.Cell>
                  <IndexTable.Cell>{KIND_LABELS[job.kind]}</IndexTable.Cell>
                  <IndexTable.Cell>
                    {isActive(job.status) ? (
                      <div style={{ minWidth: "8rem" }}>
                        <ProgressBar progress={job.progress} size="small" tone="highlight" />
                      </div>
                    ) : (
                      <StatusCell job={job} />
                    )}
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    <Text as="span" alignment="end" numeric>
                      {count(job.rows)}
                    </Text>
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    <Text as="span" alignment="end" numeric>
                      {count(job.imported)}
                    </Text>
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    <Text as="span" alignment="end" numeric>
                      {count(job.skippedRows)}
                    </Text>
                  </IndexTable.Cell>
                  <IndexTable.Cell>{formatDateTime(job.createdAt, timeZone)}</IndexTable.Cell>
                </IndexTable.Row>
              ))}
            </IndexTable>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
