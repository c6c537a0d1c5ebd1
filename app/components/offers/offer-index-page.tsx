import { Link as RemixLink, useFetcher, useLocation, useNavigate } from "@remix-run/react";
import { Badge, Banner, BlockStack, Button, ButtonGroup, Card, EmptyState, IndexTable, Layout, List, Modal, Page, Text, useIndexResourceState } from "@shopify/polaris";
import { useEffect, useMemo, useRef, useState } from "react";
import { formatAmount } from "~/components/dashboard/format";
import type { OfferType } from "~/core/offers";
import { OFFER_FAMILIES, OFFER_TYPE_LABELS, type OfferFamily } from "./families";
import { CheckoutDiscountBanner, type CheckoutDiscountSummary } from "~/components/checkout-discount-banner";
import { SyncBanners, type SyncOutcomeData } from "./offer-form-page";
import { OfferWarningBanners } from "./offer-warning-banners";
import { mergeOfferWarnings, type OfferWarnings } from "./offer-warnings";

/**
 * "prices_changed": live, but failing saving's price checks at today's catalog prices.
 * "currency_changed": live, but its amounts are in a currency the shop no longer sells in, so
 * checkout leaves it out.
 * "left_out": active (live or scheduled), but the discount sync leaves it out of checkout: it does
 * not fit Shopify's 10,000-byte configuration beside offers of higher priority or older ones, or
 * waits for a schedule slot.
 * "item_deleted": live, but a product it names was deleted in Shopify (products/delete).
 */
export type OfferState = "active" | "prices_changed" | "currency_changed" | "left_out" | "item_deleted" | "scheduled" | "ended" | "paused" | "draft";

export interface OfferIndexRow {
  readonly id: string;
  readonly title: string;
  readonly type: OfferType;
  readonly status: "active" | "paused" | "draft";
  readonly state: OfferState;
  /** Why a "prices_changed", "currency_changed" or "left_out" offer does not give what it promises, and what to do. */
  readonly problem: string | null;
  readonly priority: number;
  readonly startsAt: string | null;
  readonly endsAt: string | null;
  readonly units: number;
  readonly revenue: number;
}

export interface OfferIndexPageData {
  readonly family: OfferFamily;
  readonly currency: string;
  /** The shop's IANA zone: schedules are shown in it. */
  readonly timeZone: string;
  readonly rows: readonly OfferIndexRow[];
  readonly checkoutDiscount: CheckoutDiscountSummary;
}

/** Actions on the rows the merchant ticked; the server applies them to all or, if one is not theirs, to none. */
export type BulkIntent = "bulk-pause" | "bulk-activate" | "bulk-delete";

/** `warnings`: after activating, what the offers now live will not do as set (offerWarnings). */
type RowActionData =
  | { ok: true; intent: "duplicate" | "pause" | "activate" | "delete"; offerId: string; sync: SyncOutcomeData; warnings?: OfferWarnings[] }
  | { ok: true; intent: BulkIntent; offerIds: string[]; sync: SyncOutcomeData; warnings?: OfferWarnings[] }
  | { ok?: false; error: string; message: string };

const BULK_DONE: Record<BulkIntent, string> = { "bulk-pause": "Paused", "bulk-activate": "Activated", "bulk-delete": "Deleted" };

type RowIntent = "duplicate" | "pause" | "activate" | "delete";

/**
 * What a row's own button did, for the banner the bulk actions also get. `title` is the row's as
 * it was clicked (a deleted row is gone from the list by the time the answer lands); `copyTitle`
 * the duplicate's, once the list shows it.
 */
function rowActionDone(intent: RowIntent, title: string, copyTitle?: string): string {
  switch (intent) {
    case "pause":
      return `Paused “${title}”.`;
    case "activate":
      return `Activated “${title}”.`;
    case "delete":
      return `Deleted “${title}”.`;
    case "duplicate":
      return copyTitle ? `Duplicated “${title}” as “${copyTitle}”, a draft.` : `Duplicated “${title}” as a draft.`;
  }
}

const STATE_BADGES: Record<OfferState, { label: string; tone?: "success" | "info" | "warning" | "attention" | "critical" }> = {
  active: { label: "Active", tone: "success" },
  prices_changed: { label: "Active: check prices", tone: "critical" },
  currency_changed: { label: "Active: not at checkout", tone: "critical" },
  left_out: { label: "Active: no room at checkout", tone: "critical" },
  item_deleted: { label: "Active: item deleted", tone: "critical" },
  scheduled: { label: "Scheduled", tone: "info" },
  ended: { label: "Ended" },
  paused: { label: "Paused", tone: "warning" },
  draft: { label: "Draft" },
};

/** Why the offers a banner lists fail, one sentence per kind of failure among them. */
const PROBLEM_CAUSES: Partial<Record<OfferState, string>> = {
  currency_changed: "The shop's currency changed since saving.",
  prices_changed: "Prices in the catalog changed since saving.",
  item_deleted: "A product it names was deleted in Shopify.",
  left_out: "Not every active offer fits checkout's discount configuration (Shopify limits its size for all offers together, and the schedule changes it can follow).",
};

/**
 * Live offers that fail saving's checks at today's prices or currency, and active offers the
 * discount sync leaves out of checkout, each with why and a link to fix it.
 */
function PricesChangedBanner({ rows, path }: { rows: readonly OfferIndexRow[]; path: string }) {
  const failing = rows.filter((row) => row.problem !== null);
  if (failing.length === 0) return null;
  const causes = [...new Set(failing.map((row) => PROBLEM_CAUSES[row.state]).filter((cause): cause is string => cause !== undefined))];
  return (
    <Banner tone="critical" title={failing.length === 1 ? "An active offer may not give what it promises" : `${failing.length} active offers may not give what they promise`}>
      <BlockStack gap="200">
        <p>
          {causes.join(" ")} Open each to adjust it, or pause it.
        </p>
        <List>
          {failing.map((row) => (
            <List.Item key={row.id}>
              <RemixLink to={`${path}/${row.id}`}>{row.title}</RemixLink>: {row.problem}
            </List.Item>
          ))}
        </List>
      </BlockStack>
    </Banner>
  );
}

// Building a formatter loads the zone's rules: one per zone, not one per row.
const scheduleFormats = new Map<string, Intl.DateTimeFormat>();

/** A row's schedule in the shop's zone (the column heading names the zone once). */
export function scheduleText(startsAt: string | null, endsAt: string | null, timeZone: string): string {
  let dateFormat = scheduleFormats.get(timeZone);
  if (!dateFormat) {
    dateFormat = new Intl.DateTimeFormat("en-GB", { timeZone, dateStyle: "medium", timeStyle: "short" });
    scheduleFormats.set(timeZone, dateFormat);
  }
  const format = (iso: string) => dateFormat.format(new Date(iso));
  if (!startsAt && !endsAt) return "No end date";
  if (startsAt && endsAt) return `${format(startsAt)} – ${format(endsAt)}`;
  return startsAt ? `From ${format(startsAt)}` : `Until ${format(endsAt as string)}`;
}

function newToken(): string {
  return typeof crypto !== "undefined" && "randomUUID" in crypto ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`;
}

export function OfferIndexPage({ data }: { data: OfferIndexPageData }) {
  const info = OFFER_FAMILIES[data.family];
  const fetcher = useFetcher<RowActionData>();
  const [deleting, setDeleting] = useState<OfferIndexRow | null>(null);
  const [deletingSelection, setDeletingSelection] = useState(false);
  const resources = useMemo(() => data.rows.map((row) => ({ id: row.id })), [data.rows]);
  const selection = useIndexResourceState(resources);
  const { allResourcesSelected, handleSelectionChange, clearSelection } = selection;
  // A ticked row deleted on its own (its row button) leaves the list: it is no longer selected either.
  const selectedResources = selection.selectedResources.filter((id) => data.rows.some((row) => row.id === id));
  // A duplicate keeps its token until the server answers, so a double click makes one copy.
  const duplicateTokens = useRef(new Map<string, string>());
  // The last row button clicked: its answer's banner names that row.
  const [lastRowAction, setLastRowAction] = useState<{ intent: RowIntent; title: string } | null>(null);

  useEffect(() => {
    if (fetcher.state === "idle" && fetcher.data?.ok && fetcher.data.intent === "duplicate") {
      duplicateTokens.current.clear();
    }
    // A bulk action that landed is done with its selection (deleted rows are gone, the rest changed).
    if (fetcher.state === "idle" && fetcher.data && "offerIds" in fetcher.data) clearSelection();
  }, [fetcher.state, fetcher.data]); // eslint-disable-line react-hooks/exhaustive-deps

  const act = (intent: RowIntent, row: OfferIndexRow) => {
    const { id } = row;
    setLastRowAction({ intent, title: row.title });
    const form: Record<string, string> = { intent, id };
    if (intent === "duplicate") {
      const token = duplicateTokens.current.get(id) ?? newToken();
      duplicateTokens.current.set(id, token);
      form.clientToken = token;
    }
    fetcher.submit(form, { method: "post" });
  };
  const actOnSelection = (intent: BulkIntent) => fetcher.submit({ intent, ids: selectedResources.join(",") }, { method: "post" });
  const selectionBusy = fetcher.state !== "idle" && String(fetcher.formData?.get("intent") ?? "").startsWith("bulk-");

  const busyId = fetcher.state !== "idle" ? String(fetcher.formData?.get("id") ?? "") : "";
  const result = fetcher.state === "idle" ? fetcher.data : undefined;
  // A delete from the edit page lands here with the offer's title: in the URL after a clean sync
  // (the server redirects), in the navigation's state with the sync outcome otherwise.
  const location = useLocation();
  const arrivedWith = (location.state ?? {}) as { sync?: SyncOutcomeData; deletedTitle?: string };
  const deletedTitle = arrivedWith.deletedTitle ?? new URLSearchParams(location.search).get("deleted") ?? undefined;
  const sync = result?.ok ? result.sync : arrivedWith.sync;
  const navigate = useNavigate();
  useEffect(() => {
    // Read once: the address loses ?deleted=, so a reload or Back does not say it again.
    if (new URLSearchParams(location.search).has("deleted")) navigate(location.pathname, { replace: true, state: { ...arrivedWith, deletedTitle } });
  }, [location.search]); // eslint-disable-line react-hooks/exhaustive-deps
  // One fetcher: the answer shown is always that of the last submission, so of this row action;
  // until the merchant acts here, the delete they arrived from (a fetcher's answer can outlive its page).
  let rowDone: string | null = !lastRowAction && !result && deletedTitle !== undefined ? rowActionDone("delete", deletedTitle) : null;
  if (result?.ok && "offerId" in result && lastRowAction?.intent === result.intent) {
    // A duplicate's answer carries the copy's id; the revalidated list has its title.
    const copyTitle = result.intent === "duplicate" ? data.rows.find((row) => row.id === result.offerId)?.title : undefined;
    rowDone = rowActionDone(result.intent, lastRowAction.title, copyTitle);
  }
  const createUrl = `${info.path}/new`;

  return (
    <Page title={info.title} primaryAction={{ content: `Create ${info.singular}`, url: createUrl }}>
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            {result && "error" in result ? (
              <Banner tone="critical" title="That did not work">
                <p>{result.message}</p>
              </Banner>
            ) : null}
            {result && "offerIds" in result ? (
              <Banner tone="success" title={`${BULK_DONE[result.intent]} ${result.offerIds.length} ${result.offerIds.length === 1 ? info.singular : info.title.toLowerCase()}.`} />
            ) : null}
            {rowDone ? <Banner tone="success" title={rowDone} /> : null}
            {result?.ok ? <OfferWarningBanners warnings={mergeOfferWarnings(result.warnings ?? [])} done="Activated" /> : null}
            <SyncBanners sync={sync} />
            {/* After an action the sync banners already say how it went. */}
            {sync ? null : <CheckoutDiscountBanner discount={data.checkoutDiscount} />}
            <PricesChangedBanner rows={data.rows} path={info.path} />
            <Card padding="0">
              {data.rows.length === 0 ? (
                <EmptyState heading={info.emptyHeading} action={{ content: `Create ${info.singular}`, url: createUrl }} image="">
                  <p>{info.emptyText}</p>
                </EmptyState>
              ) : (
                <IndexTable
                  resourceName={{ singular: info.singular, plural: info.title.toLowerCase() }}
                  itemCount={data.rows.length}
                  selectedItemsCount={allResourcesSelected ? "All" : selectedResources.length}
                  onSelectionChange={handleSelectionChange}
                  loading={selectionBusy}
                  promotedBulkActions={[
                    { content: "Activate", onAction: () => actOnSelection("bulk-activate"), disabled: selectionBusy },
                    { content: "Pause", onAction: () => actOnSelection("bulk-pause"), disabled: selectionBusy },
                  ]}
                  bulkActions={[{ content: "Delete", onAction: () => setDeletingSelection(true), disabled: selectionBusy }]}
                  headings={[
                    { title: "Title" },
                    { title: "Type" },
                    { title: "Status" },
                    { title: `Schedule (${data.timeZone})` },
                    { title: "Units sold", alignment: "end" },
                    { title: "Revenue", alignment: "end" },
                    { title: "Actions", alignment: "end" },
                  ]}
                >
                  {data.rows.map((row, index) => {
                    const badge = STATE_BADGES[row.state];
                    const busy = busyId === row.id;
                    return (
                      <IndexTable.Row id={row.id} key={row.id} position={index} selected={selectedResources.includes(row.id)} accessibilityLabel={`Select ${row.title}`}>
                        <IndexTable.Cell>
                          {/* The row's primary link: a click on the row opens the offer, the checkbox selects it. */}
                          <RemixLink to={`${info.path}/${row.id}`} data-primary-link style={{ color: "inherit", fontWeight: 600 }}>
                            {row.title}
                          </RemixLink>
                        </IndexTable.Cell>
                        <IndexTable.Cell>{OFFER_TYPE_LABELS[row.type]}</IndexTable.Cell>
                        <IndexTable.Cell>
                          <Badge tone={badge.tone}>{badge.label}</Badge>
                        </IndexTable.Cell>
                        <IndexTable.Cell>
                          <Text as="span" variant="bodySm">
                            {scheduleText(row.startsAt, row.endsAt, data.timeZone)}
                          </Text>
                        </IndexTable.Cell>
                        <IndexTable.Cell>
                          <Text as="span" alignment="end" numeric>
                            {row.units.toLocaleString("en")}
                          </Text>
                        </IndexTable.Cell>
                        <IndexTable.Cell>
                          <Text as="span" alignment="end" numeric>
                            {formatAmount(row.revenue, data.currency)}
                          </Text>
                        </IndexTable.Cell>
                        <IndexTable.Cell>
                          <RowButtons>
                            <ButtonGroup noWrap>
                              <Button url={`${info.path}/${row.id}`} size="slim">
                                Edit
                              </Button>
                              <Button size="slim" disabled={busy} onClick={() => act("duplicate", row)} accessibilityLabel={`Duplicate ${row.title}`}>
                                Duplicate
                              </Button>
                              {row.status === "active" ? (
                                <Button size="slim" disabled={busy} onClick={() => act("pause", row)} accessibilityLabel={`Pause ${row.title}`}>
                                  Pause
                                </Button>
                              ) : (
                                <Button size="slim" disabled={busy} onClick={() => act("activate", row)} accessibilityLabel={`Activate ${row.title}`}>
                                  Activate
                                </Button>
                              )}
                              <Button size="slim" tone="critical" disabled={busy} onClick={() => setDeleting(row)} accessibilityLabel={`Delete ${row.title}`}>
                                Delete
                              </Button>
                            </ButtonGroup>
                          </RowButtons>
                        </IndexTable.Cell>
                      </IndexTable.Row>
                    );
                  })}
                </IndexTable>
              )}
            </Card>
            <Text as="p" tone="subdued" variant="bodySm">
              Units and revenue count order lines the widgets attributed to each offer, in {data.currency}, excluding cancelled orders.
            </Text>
          </BlockStack>
        </Layout.Section>
      </Layout>
      {/* Mounted only while open: a Polaris modal closed while the page re-renders (the delete's
          revalidation) can stay in the DOM after its exit animation, an invisible aria-modal
          dialog that screen readers still announce. */}
      {deleting !== null ? (
      <Modal
        open
        onClose={() => setDeleting(null)}
        title={`Delete “${deleting.title}”?`}
        primaryAction={{
          content: "Delete",
          destructive: true,
          onAction: () => {
            act("delete", deleting);
            setDeleting(null);
          },
        }}
        secondaryActions={[{ content: "Cancel", onAction: () => setDeleting(null) }]}
      >
        <Modal.Section>
          <Text as="p">The offer stops applying at checkout right away. This cannot be undone.</Text>
        </Modal.Section>
      </Modal>
      ) : null}
      {deletingSelection ? (
      <Modal
        open
        onClose={() => setDeletingSelection(false)}
        title={`Delete ${selectedResources.length} ${selectedResources.length === 1 ? info.singular : info.title.toLowerCase()}?`}
        primaryAction={{
          content: "Delete",
          destructive: true,
          onAction: () => {
            actOnSelection("bulk-delete");
            setDeletingSelection(false);
          },
        }}
        secondaryActions={[{ content: "Cancel", onAction: () => setDeletingSelection(false) }]}
      >
        <Modal.Section>
          <Text as="p">They stop applying at checkout right away. This cannot be undone.</Text>
        </Modal.Section>
      </Modal>
      ) : null}
    </Page>
  );
}

/** A row's own buttons, at the row's end. Their clicks stop here: the table row would open or select the offer too. */
function RowButtons({ children }: { children: React.ReactNode }) {
  return (
    <div style={{ display: "flex", justifyContent: "flex-end" }} onClick={(event) => event.stopPropagation()}>
      {children}
    </div>
  );
}
