import { useActionData, useLocation, useNavigate, useNavigation, useSubmit } from "@remix-run/react";
import {
  Banner,
  BlockStack,
  Box,
  Card,
  Checkbox,
  Divider,
  FormLayout,
  InlineStack,
  Layout,
  Link,
  List,
  Modal,
  Page,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { useEffect, useMemo, useRef, useState } from "react";
import { formatAmount } from "~/components/dashboard/format";
import { safeParseOffer, type Offer, type OfferType } from "~/core/offers";
import { findOfferConflicts, type OfferConflict } from "~/core/offers/conflicts";
import { fromShopLocalDateTime, toShopLocalDateTime } from "~/core/shop-local-time";
import { isDirty } from "~/components/unsaved-changes/form-state";
import { isUnreachableAnswer } from "~/components/unreachable";
import { withUnansweredSave } from "./offer-unreachable";
import { useUnsavedChanges } from "~/components/unsaved-changes/use-unsaved-changes";
import { familyOfType, OFFER_FAMILIES, OFFER_TYPE_LABELS, OFFER_TYPE_STOREFRONT, type OfferFamily } from "./families";
import { draftItems, draftToOfferInput, savedOfferMessage, type DraftErrors, type OfferDraft } from "./offer-draft";
import { previewOffer, problemText } from "./offer-preview";
import { OfferWarningBanners } from "./offer-warning-banners";
import type { OfferWarning } from "./offer-warnings";
import { TypeSection } from "./offer-sections";
import { switchOfferType, type OfferTypeMemory } from "./offer-type-memory";

export interface OfferFormPageData {
  readonly mode: "demo" | "shopify";
  readonly family: OfferFamily;
  /** Null on the "new" page. */
  readonly offerId: string | null;
  readonly currency: string;
  readonly draft: OfferDraft;
  readonly otherOffers: readonly Offer[];
  readonly productOfVariant: Record<string, string>;
  /** The server's clock when the page loaded: the preview and conflicts use it, so server and browser render alike. */
  readonly now: number;
  /** The shop's IANA zone: the schedule fields read and show wall-clock times in it. */
  readonly timeZone: string;
  /** The offer's last change when the page loaded; sent with "Save" so a change made elsewhere is not overwritten. */
  readonly version: string | null;
  /** Currencies the edited offer's amounts were saved in other than the shop's: those fields come empty. */
  readonly amountsSavedIn: readonly string[];
}

export interface SyncOutcomeData {
  readonly ran: boolean;
  readonly errors: readonly string[];
  readonly warnings: readonly string[];
  /** Active offers checkout leaves out, with why and their sentence in `warnings` (absent in answers from before it existed). */
  readonly leftOut?: readonly { readonly offerId: string; readonly message: string; readonly warning: string }[];
}

/**
 * What the discount sync reported after a change: failures, and what checkout does not apply as
 * set (offers left out, combinations held back). `savedOfferId`: the offer just saved, whose being
 * left out its own "Saved" banner says, so it is not said again among the others.
 */
export function SyncBanners({ sync, savedOfferId }: { sync: SyncOutcomeData | undefined; savedOfferId?: string | null }) {
  if (!sync) return null;
  const ownWarnings = new Set((sync.leftOut ?? []).filter((entry) => entry.offerId === savedOfferId).map((entry) => entry.warning));
  const warnings = sync.warnings.filter((warning) => !ownWarnings.has(warning));
  return (
    <>
      {sync.errors.length > 0 ? (
        <Banner tone="warning" title="Checkout discounts were not updated">
          <List>
            {sync.errors.map((message, index) => (
              <List.Item key={`${index}:${message}`}>{message}</List.Item>
            ))}
          </List>
          <p>Your change is saved. Saving again retries the update.</p>
        </Banner>
      ) : null}
      {warnings.length > 0 ? (
        <Banner tone="warning" title={ownWarnings.size > 0 ? "Nor does checkout apply everything else as set" : "Checkout does not apply everything as set"}>
          <List>
            {warnings.map((message, index) => (
              <List.Item key={`${index}:${message}`}>{message}</List.Item>
            ))}
          </List>
        </Banner>
      ) : null}
    </>
  );
}

type ActionData =
  | { ok: true; offerId: string; conflicts: readonly OfferConflict[]; sync: SyncOutcomeData; warnings: readonly OfferWarning[]; intent?: undefined }
  | { ok: true; intent: "delete"; offerId: string; sync: SyncOutcomeData }
  | { ok: false; errors: DraftErrors; draft: OfferDraft | null; message?: string; error?: string; saveToken?: string };

interface SavedState {
  saved?: boolean;
  sync?: SyncOutcomeData;
  /** What the save said will not show or be checked as set (a new offer's, carried to its edit page). */
  warnings?: readonly OfferWarning[];
  /** After a delete, for the list's "Deleted …" banner. */
  deletedTitle?: string;
}

function newToken(): string {
  return typeof crypto !== "undefined" && "randomUUID" in crypto ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`;
}

/**
 * datetime-local text (no zone) <-> ISO instant, read in the shop's zone: a merchant who types
 * "28 Nov, 00:00" means midnight where the shop is, and checkout's clock agrees (shop.localTime).
 */
function toLocalInput(iso: string, timeZone: string): string {
  const instant = Date.parse(iso);
  return Number.isNaN(instant) ? "" : toShopLocalDateTime(instant, timeZone).slice(0, 16);
}
function fromLocalInput(value: string, timeZone: string): string {
  if (!value) return "";
  const instant = fromShopLocalDateTime(value, timeZone);
  // Not a date-time: kept as typed, so validation names the field instead of the value vanishing.
  return instant === undefined ? value : new Date(instant).toISOString();
}

/** Each conflict in words, with a link to the other offer (two offers may share a title). */
function describeConflicts(conflicts: readonly OfferConflict[], draft: OfferDraft): { key: string; text: string; url: string; title: string }[] {
  const titles = new Map<string, string>();
  for (const item of draftItems(draft)) {
    titles.set(item.id, item.title);
    titles.set(item.productId, item.title);
  }
  return conflicts.map((conflict) => {
    const names = conflict.sharedIds.map((id) => titles.get(id)).filter((name): name is string => Boolean(name));
    return {
      key: conflict.offerId,
      text: names.length > 0 ? `${conflict.message} Shared: ${names.join(", ")}.` : conflict.message,
      url: `${OFFER_FAMILIES[familyOfType(conflict.offerType)].path}/${conflict.offerId}`,
      title: conflict.title,
    };
  });
}

export function OfferFormPage({ data }: { data: OfferFormPageData }) {
  const info = OFFER_FAMILIES[data.family];
  const actionData = useActionData<ActionData>();
  const navigation = useNavigation();
  const navigate = useNavigate();
  const location = useLocation();
  const submit = useSubmit();
  const [draft, setDraft] = useState<OfferDraft>(data.draft);
  // What the form was loaded with, or last saved: the form is dirty when it differs.
  const [savedDraft, setSavedDraft] = useState<OfferDraft>(data.draft);
  const submittedDraft = useRef<OfferDraft | null>(null);
  // What was typed for each type tried on a new offer, restored on switching back.
  const typeMemory = useRef<OfferTypeMemory>({});
  const [errors, setErrors] = useState<DraftErrors>({});
  const [confirmDelete, setConfirmDelete] = useState(false);
  // One token per form: a double submit of "Save" on a new offer creates it once.
  const clientToken = useRef<string | null>(null);
  // The tokens of this form's saves that got no answer (each may have landed), sent with every
  // save until one is saved: the server then lets this form save over its own lost save, and only
  // that (docs/decisions/0013). Kept through a refusal too, which wrote nothing: a field error
  // fixed after a lost save must not come back as "changed since you opened it".
  const unansweredSaves = useRef<string[]>([]);
  const saving = navigation.state !== "idle" && navigation.formData?.get("intent") === "save";
  const deleting = navigation.state !== "idle" && navigation.formData?.get("intent") === "delete";

  // Loading another offer (or a fresh "new" page) replaces the form.
  useEffect(() => {
    setDraft(data.draft);
    setSavedDraft(data.draft);
    typeMemory.current = {};
    unansweredSaves.current = [];
    setErrors({});
  }, [data.offerId, data.draft.type]); // eslint-disable-line react-hooks/exhaustive-deps

  const dirty = isDirty(draft, savedDraft);
  const unsaved = useUnsavedChanges({
    id: "offer-form-save-bar",
    dirty,
    saving,
    onSave: () => save(),
    onDiscard: () => {
      setDraft(savedDraft);
      setErrors({});
    },
  });

  useEffect(() => {
    if (!actionData) return;
    if (actionData.ok && actionData.intent === "delete") {
      // Deleted: the unsaved edits went with the offer, nothing to ask.
      const deletedTitle = savedDraft.title.trim() || data.draft.title;
      unsaved.leaveWithoutPrompt(() => navigate(info.path, { replace: true, state: { sync: actionData.sync, deletedTitle } satisfies SavedState }));
    } else if (actionData.ok) {
      // Saved: the page reloads the offer's new version, which no lost save was based on.
      unansweredSaves.current = [];
      setErrors({});
      // What was submitted is saved; anything typed since is still unsaved.
      if (submittedDraft.current) setSavedDraft(submittedDraft.current);
      if (data.offerId === null) {
        const path = `${info.path}/${actionData.offerId}`;
        unsaved.leaveWithoutPrompt(() => navigate(path, { replace: true, state: { saved: true, sync: actionData.sync, warnings: actionData.warnings } satisfies SavedState }));
      }
    } else if (isUnreachableAnswer(actionData)) {
      // No answer from Upshelf: the form, and what it says about its fields, stay as they were.
      // The save may have landed all the same; the next one says it was this form's.
      if (actionData.saveToken) unansweredSaves.current = withUnansweredSave(unansweredSaves.current, actionData.saveToken);
    } else {
      // The form keeps what it holds: the server sends back the draft that was submitted, and
      // putting that back would erase anything typed while the save was on its way.
      setErrors(actionData.errors);
    }
  }, [actionData]); // eslint-disable-line react-hooks/exhaustive-deps

  const update = (patch: Partial<OfferDraft>, touched: string[] = []) => {
    setDraft((previous) => ({ ...previous, ...patch }));
    if (touched.length > 0) {
      setErrors((previous) => {
        const next = { ...previous };
        for (const key of Object.keys(next)) if (touched.some((field) => key === field || key.startsWith(`${field}.`))) delete next[key];
        return next;
      });
    }
  };

  const preview = useMemo(() => previewOffer(draft, data.currency, data.now), [draft, data.currency, data.now]);

  const conflicts = useMemo(() => {
    const { input, errors: readErrors } = draftToOfferInput(draft, data.currency);
    if (Object.keys(readErrors).length > 0) return [];
    const parsed = safeParseOffer({ ...input, title: draft.title || "This offer", status: "active", id: data.offerId ?? "new" });
    if (!parsed.ok) return [];
    const variantProducts = new Map(Object.entries(data.productOfVariant));
    for (const item of draftItems(draft)) if (item.kind === "variant" && item.productId) variantProducts.set(item.id, item.productId);
    return findOfferConflicts({ candidate: parsed.offer, others: data.otherOffers, now: data.now, productOfVariant: (id) => variantProducts.get(id) });
  }, [draft, data]);

  function save() {
    clientToken.current ??= newToken();
    submittedDraft.current = draft;
    // The version the form was loaded with (refreshed after each save): a save over a change made
    // elsewhere is refused. Each save has its own token, stored with what it writes.
    const form = new FormData();
    form.set("intent", "save");
    form.set("draft", JSON.stringify(draft));
    form.set("clientToken", clientToken.current);
    form.set("saveToken", newToken());
    form.set("version", data.version ?? "");
    // One field each (a plain object's array would be sent joined by commas).
    for (const token of unansweredSaves.current) form.append("unansweredSaves", token);
    submit(form, { method: "post" });
  }

  const changeType = (type: OfferType) => {
    const switched = switchOfferType(draft, type, typeMemory.current);
    typeMemory.current = switched.memory;
    update(switched.draft, ["_"]);
  };

  const savedState = (location.state ?? {}) as SavedState;
  // "Saved" describes the form only while it still shows what was saved.
  const justSaved = ((actionData?.ok ?? false) || (savedState.saved === true && !actionData)) && !dirty;
  const sync = actionData?.ok ? actionData.sync : !actionData ? savedState.sync : undefined;
  // The offer the save wrote (a new one's id arrives with the answer, then with the navigation).
  const savedOfferId = actionData?.ok ? actionData.offerId : data.offerId;
  // The discount sync left this very offer out of checkout: its "Saved" banner says so, not "checkout applies it".
  const savedLeftOut = sync?.leftOut?.find((entry) => entry.offerId === savedOfferId) ?? null;
  // Said once, by the save: the steps' own rows keep saying it while the form is open.
  const saveWarnings = actionData?.ok && actionData.intent !== "delete" ? actionData.warnings : !actionData ? (savedState.warnings ?? []) : [];
  const errorList = Object.entries(errors);
  // Said until the next save is on its way: the form still holds everything and Save still works.
  const unreachable = !saving && !deleting && isUnreachableAnswer(actionData) ? actionData.message : null;
  const typeOptions = info.types.map((type) => ({ label: OFFER_TYPE_LABELS[type], value: type }));
  const title = data.offerId === null ? `Create ${info.singular}` : draft.title || data.draft.title || "Edit offer";

  return (
    <Page
      title={title}
      backAction={{ content: info.title, url: info.path }}
      titleMetadata={<Text as="span" tone="subdued">{OFFER_TYPE_LABELS[draft.type]}</Text>}
      primaryAction={{ content: "Save", onAction: save, loading: saving, disabled: deleting }}
      secondaryActions={data.offerId === null ? [] : [{ content: "Delete", destructive: true, onAction: () => setConfirmDelete(true) }]}
    >
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            {unreachable ? <Banner tone="critical" title={unreachable} /> : null}
            {errorList.length > 0 ? (
              <Banner tone="critical" title={`${errorList.length === 1 ? "1 problem needs" : `${errorList.length} problems need`} fixing before this ${info.singular} can be saved`}>
                <List>
                  {errorList.map(([field, message]) => (
                    <List.Item key={field}>{problemText(field, message, draft)}</List.Item>
                  ))}
                </List>
              </Banner>
            ) : null}
            {justSaved && errorList.length === 0 ? (
              <Banner tone={savedLeftOut ? "warning" : "success"} title={savedLeftOut ? "Saved, but not applied at checkout" : "Saved"} onDismiss={undefined}>
                <p>
                  {savedOfferMessage(draft, data.now, savedLeftOut)}
                </p>
              </Banner>
            ) : null}
            {justSaved ? <OfferWarningBanners warnings={saveWarnings} done="Saved" /> : null}
            <SyncBanners sync={sync} savedOfferId={justSaved ? savedOfferId : null} />
            {data.amountsSavedIn.length > 0 ? (
              <Banner tone="critical" title="Enter this offer's amounts again">
                <p>
                  They were saved in {data.amountsSavedIn.join(", ")}, but the shop now sells in {data.currency}, so checkout does not apply
                  this offer. The amount fields are empty: enter them in {data.currency} and save.
                </p>
              </Banner>
            ) : null}
            {conflicts.length > 0 ? (
              <Banner tone="warning" title="Overlaps with offers that cannot combine">
                <List>
                  {describeConflicts(conflicts, draft).map((conflict) => (
                    <List.Item key={conflict.key}>
                      {conflict.text}{" "}
                      <Link url={conflict.url} accessibilityLabel={`Open the offer “${conflict.title}”`}>
                        Open it
                      </Link>
                    </List.Item>
                  ))}
                </List>
                <p>Allow combining under Combinations (on both offers) if they should stack.</p>
              </Banner>
            ) : null}

            <Card>
              <FormLayout>
                <TextField id="title" label="Title" helpText="Buyers see this next to the discount." value={draft.title} onChange={(value) => update({ title: value }, ["title"])} error={errors.title} autoComplete="off" maxLength={255} />
                <FormLayout.Group>
                  {data.offerId === null && typeOptions.length > 1 ? (
                    <Select id="type" label="Offer type" options={typeOptions} value={draft.type} onChange={(value) => changeType(value as OfferType)} />
                  ) : null}
                  <Select
                    id="status"
                    label="Status"
                    options={[
                      { label: "Draft", value: "draft" },
                      { label: "Active", value: "active" },
                      { label: "Paused", value: "paused" },
                    ]}
                    value={draft.status}
                    onChange={(value) => update({ status: value as OfferDraft["status"] }, ["status"])}
                    error={errors.status}
                  />
                </FormLayout.Group>
              </FormLayout>
            </Card>

            <TypeSection draft={draft} update={update} errors={errors} mode={data.mode} currency={data.currency} />

            <Card>
              <BlockStack gap="400">
                <Text as="h2" variant="headingMd">
                  Schedule and priority
                </Text>
                <FormLayout>
                  <FormLayout.Group>
                    <TextField id="starts-at" type="datetime-local" label={`Starts (${data.timeZone})`} helpText="Empty: as soon as it is active." value={toLocalInput(draft.startsAt, data.timeZone)} onChange={(value) => update({ startsAt: fromLocalInput(value, data.timeZone) }, ["startsAt"])} error={errors.startsAt} autoComplete="off" />
                    <TextField id="ends-at" type="datetime-local" label={`Ends (${data.timeZone})`} helpText="Empty: no end date." value={toLocalInput(draft.endsAt, data.timeZone)} onChange={(value) => update({ endsAt: fromLocalInput(value, data.timeZone) }, ["endsAt"])} error={errors.endsAt} autoComplete="off" />
                  </FormLayout.Group>
                  <TextField id="priority" label="Priority" helpText="From -1000 to 1000. Checkout gives buyers the combination of offers that saves them most; priority decides between combinations that save the same, which offer takes shared items first when offers combine, and which offers checkout keeps if there are more than it can hold." value={draft.priority} onChange={(value) => update({ priority: value }, ["priority"])} error={errors.priority} autoComplete="off" inputMode="numeric" />
                </FormLayout>
              </BlockStack>
            </Card>

            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  Combinations
                </Text>
                <Text as="p" tone="subdued">
                  This offer can apply together with:
                </Text>
                <Checkbox label="Product discounts" checked={draft.combinesWith.productDiscounts} onChange={(checked) => update({ combinesWith: { ...draft.combinesWith, productDiscounts: checked } }, ["combinesWith"])} />
                <Checkbox label="Order discounts" checked={draft.combinesWith.orderDiscounts} onChange={(checked) => update({ combinesWith: { ...draft.combinesWith, orderDiscounts: checked } }, ["combinesWith"])} />
                <Checkbox label="Shipping discounts" checked={draft.combinesWith.shippingDiscounts} onChange={(checked) => update({ combinesWith: { ...draft.combinesWith, shippingDiscounts: checked } }, ["combinesWith"])} error={errors.combinesWith} />
              </BlockStack>
            </Card>
          </BlockStack>
        </Layout.Section>

        <Layout.Section variant="oneThird">
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                What a buyer pays
              </Text>
              {preview.ok ? (
                <BlockStack gap="300" id="offer-preview">
                  {preview.rows.map((row, index) => (
                    <BlockStack key={index} gap="100">
                      {index > 0 ? <Divider /> : null}
                      <Text as="p" fontWeight="semibold" breakWord>
                        {row.label}
                      </Text>
                      <InlineStack align="space-between">
                        <Text as="span" tone="subdued">
                          Full price
                        </Text>
                        <Text as="span" tone="subdued">
                          {formatAmount(row.before, preview.currency)}
                        </Text>
                      </InlineStack>
                      <InlineStack align="space-between">
                        <Text as="span">Buyer pays</Text>
                        <Text as="span" fontWeight="bold" id={`preview-pays-${index}`}>
                          {formatAmount(row.after, preview.currency)}
                        </Text>
                      </InlineStack>
                      <InlineStack align="space-between">
                        <Text as="span" tone="success">
                          Saves
                        </Text>
                        <Text as="span" tone="success" id={`preview-saves-${index}`}>
                          {formatAmount(row.saving, preview.currency)}
                        </Text>
                      </InlineStack>
                      {row.detail ? (
                        <Text as="p" variant="bodySm" id={`preview-detail-${index}`} breakWord>
                          {row.detail}
                        </Text>
                      ) : null}
                      {row.message ? (
                        <Text as="p" tone="subdued" variant="bodySm" breakWord>
                          Shown as “{row.message}”
                        </Text>
                      ) : null}
                    </BlockStack>
                  ))}
                  {preview.rows.length === 0 ? (
                    <Text as="p" tone="subdued">
                      Add items to see prices.
                    </Text>
                  ) : null}
                  {preview.progress ? (
                    <Box paddingBlockStart="100">
                      <Text as="p" variant="bodySm" breakWord>
                        Progress message: “{preview.progress}”
                      </Text>
                    </Box>
                  ) : null}
                  <Text as="p" tone="subdued" variant="bodySm">
                    Computed by the same pricing code as the storefront widget and checkout, at today’s catalog prices, as if the offer were running.
                  </Text>
                </BlockStack>
              ) : (
                <Text as="p" tone="subdued" id="offer-preview-unavailable">
                  {preview.reason}
                </Text>
              )}
            </BlockStack>
          </Card>
          <Box paddingBlockStart="400">
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  Where buyers see it
                </Text>
                <Text as="p">{OFFER_TYPE_STOREFRONT[draft.type]}</Text>
                <Text as="p" tone="subdued" variant="bodySm">
                  Blocks appear once they are in your theme: <Link url="/app/settings">add them from Settings</Link>.
                </Text>
              </BlockStack>
            </Card>
          </Box>
        </Layout.Section>
      </Layout>

      <Modal
        open={confirmDelete}
        onClose={() => setConfirmDelete(false)}
        title={`Delete ${draft.title || info.singular}?`}
        primaryAction={{
          content: "Delete",
          destructive: true,
          loading: deleting,
          onAction: () => {
            submit({ intent: "delete" }, { method: "post" });
            setConfirmDelete(false);
          },
        }}
        secondaryActions={[{ content: "Cancel", onAction: () => setConfirmDelete(false) }]}
      >
        <Modal.Section>
          <Text as="p">The offer stops applying at checkout right away. This cannot be undone.</Text>
        </Modal.Section>
      </Modal>
      {unsaved.element}
    </Page>
  );
}
