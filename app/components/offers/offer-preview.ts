/**
 * The admin's live price preview: what a buyer would pay and save with the offer as typed,
 * computed by the same engine calls the widget and checkout make (previewAddition,
 * previewUpgrade, priceCart, describeProgress) on the picked items' catalog prices. Pure, so it
 * runs in the browser on every keystroke.
 */
import { formatAmount } from "~/components/dashboard/format";
import {
  describeProgress,
  previewAddition,
  previewUpgrade,
  priceCart,
  quantityTiersStated,
  savingLabel,
  unitSavingApplied,
  type CartInput,
  type Offer,
  type PreviewItem,
} from "~/core/offers";
import { checkDraft, pickedItemPrices, type DraftCheck, type DraftErrors, type OfferDraft, type PickedItem } from "./offer-draft";

export interface PreviewRow {
  readonly label: string;
  /** Minor units of the shop currency: full price, what the buyer pays, and the difference. */
  readonly before: number;
  readonly after: number;
  readonly saving: number;
  readonly message: string | null;
  /** For an upgrade step: what it costs beside the step below, as the storefront states it. */
  readonly detail?: string;
}

export type OfferPreview =
  | { readonly ok: true; readonly currency: string; readonly rows: readonly PreviewRow[]; readonly progress: string | null }
  | { readonly ok: false; readonly reason: string };

/**
 * The offer as the preview prices it, validated as saving validates it (checkDraft, with the
 * picked items' catalog prices), so the preview never prices an offer that saving would refuse.
 * It is live now whatever its saved status and schedule, and a missing title does not hold it
 * up: none of those changes what a buyer pays, and the merchant wants to see what the offer will
 * do once it runs. Otherwise the problems, by form field.
 */
export function previewableOffer(draft: OfferDraft, currency: string): DraftCheck {
  const live: OfferDraft = { ...draft, status: "active", startsAt: "", endsAt: "", title: draft.title.trim() || "Preview" };
  return checkDraft(live, currency, "preview", pickedItemPrices(live, currency));
}

const FIELD_NAMES: Record<string, string> = {
  title: "Title",
  // Both dates can carry the same message ("Use a date between the years 1970 and 9999.").
  startsAt: "Starts",
  endsAt: "Ends",
  priority: "Priority",
  pricing: "Discount",
  setSize: "Items per set",
  maxPerOrder: "Limit per order",
  "buy.items": "What the buyer buys",
  "buy.quantity": "Quantity to buy",
  "get.items": "What they get",
  "get.quantity": "Quantity they get",
  "get.percent": "Discount on those",
  incentive: "Incentive",
};

/** The field a problem belongs to, as the form labels it, when the message alone does not say. */
function fieldName(field: string, draft: OfferDraft): string | null {
  const [list, position] = field.split(".");
  const index = Number(position);
  if (Number.isInteger(index)) {
    if (list === "steps") {
      const title = draft.steps[index]?.item.title;
      return title ? `Step ${index + 1} (${title})` : `Step ${index + 1}`;
    }
    if (list === "items") return draft.items[index]?.item.title ?? `Product ${index + 1}`;
    if (list === "tiers") return `Tier ${index + 1}`;
  }
  return FIELD_NAMES[field] ?? null;
}

/**
 * Why there is no price yet, naming each problem: true on a fresh form (nothing highlighted yet)
 * and after a refused save alike.
 */
export function unpricedReason(errors: DraftErrors, draft: OfferDraft): string {
  const problems = Object.entries(errors).map(([field, message]) => problemText(field, message, draft));
  return `Prices show here once the offer can be saved. ${problems.join(" ")}`;
}

/**
 * A problem prefixed with the field it belongs to ("Tier 2: Enter an amount in GBP…"), for lists
 * away from the field: the same message can be on several fields and would not say which.
 */
export function problemText(field: string, message: string, draft: OfferDraft): string {
  const name = fieldName(field, draft);
  return name ? `${name}: ${message}` : message;
}

function previewItem(item: PickedItem, quantity: number): PreviewItem | null {
  if (item.price === null || item.variantId === null) return null;
  return { variantId: item.variantId, productId: item.productId, collectionIds: [], unitPrice: item.price, quantity };
}

function differenceText(difference: number, fromTitle: string, currency: string): string {
  if (difference === 0) return `The same price as ${fromTitle}`;
  return `${formatAmount(Math.abs(difference), currency)} ${difference > 0 ? "more" : "less"} than ${fromTitle}`;
}

function unitsLabel(entries: readonly { item: PickedItem; quantity: number }[]): string {
  return entries.map(({ item, quantity }) => (quantity === 1 ? item.title : `${quantity} × ${item.title}`)).join(" + ");
}

function emptyCart(currency: string): CartInput {
  return { currency, lines: [] };
}

function additionRow(offer: Offer, currency: string, now: number, entries: { item: PickedItem; quantity: number }[]): PreviewRow | null {
  const items: PreviewItem[] = [];
  for (const entry of entries) {
    const priced = previewItem(entry.item, entry.quantity);
    if (!priced) return null;
    items.push(priced);
  }
  const result = previewAddition({ cart: emptyCart(currency), offers: [offer], now, items });
  return {
    label: unitsLabel(entries),
    before: result.priceBefore,
    after: result.priceAfter,
    saving: result.saving,
    message: result.messages[0] ?? null,
  };
}

/** N units taken from the list in turn: A, B, C, A, ... (how a buyer might fill a mix-and-match set). */
function cycle(items: readonly PickedItem[], count: number): { item: PickedItem; quantity: number }[] {
  const entries: { item: PickedItem; quantity: number }[] = [];
  for (let index = 0; index < count; index += 1) {
    const item = items[index % items.length] as PickedItem;
    const existing = entries.find((entry) => entry.item.id === item.id);
    if (existing) existing.quantity += 1;
    else entries.push({ item, quantity: 1 });
  }
  return entries;
}

/** Why the preview has no prices: names the picked items it cannot price, so the merchant knows which to replace. */
function missingPrice(items: readonly (PickedItem | undefined)[], currency: string): string {
  const titles = [...new Set(items.filter((item): item is PickedItem => item !== undefined && previewItem(item, 1) === null).map((item) => `“${item.title}”`))];
  if (titles.length === 0) return "A picked item has no catalog price, so its price cannot be previewed.";
  return `${titles.join(", ")} ${titles.length === 1 ? "has" : "have"} no catalog price in ${currency}, so the preview cannot price ${titles.length === 1 ? "it" : "them"}.`;
}

export function previewOffer(draft: OfferDraft, currency: string, now: number): OfferPreview {
  const checked = previewableOffer(draft, currency);
  if (!checked.ok) return { ok: false, reason: unpricedReason(checked.errors, draft) };
  const { offer } = checked;
  const rows: PreviewRow[] = [];
  let progress: string | null = null;

  switch (offer.type) {
    case "fixedBundle": {
      const row = additionRow(offer, currency, now, draft.items.map((entry, index) => ({ item: entry.item, quantity: offer.items[index]?.quantity ?? 1 })));
      if (!row) return { ok: false, reason: missingPrice(draft.items.map((entry) => entry.item), currency) };
      rows.push({ ...row, label: `One bundle: ${row.label}` });
      break;
    }
    case "mixAndMatch": {
      const entries = cycle(draft.eligible, offer.setSize);
      const row = additionRow(offer, currency, now, entries);
      if (!row) return { ok: false, reason: missingPrice(entries.map((entry) => entry.item), currency) };
      rows.push({ ...row, label: `A set of ${offer.setSize}: ${row.label}` });
      break;
    }
    case "buyXGetY": {
      const [buy] = draft.buyItems;
      const [get] = draft.getItems;
      if (!buy || !get) return { ok: false, reason: "Pick what the buyer buys and what they get." };
      const entries =
        buy.id === get.id
          ? [{ item: buy, quantity: offer.buy.quantity + offer.get.quantity }]
          : [
              { item: buy, quantity: offer.buy.quantity },
              { item: get, quantity: offer.get.quantity },
            ];
      const row = additionRow(offer, currency, now, entries);
      if (!row) return { ok: false, reason: missingPrice([buy, get], currency) };
      rows.push(row);
      break;
    }
    case "quantityBreaks": {
      const [first] = draft.eligible;
      if (!first) return { ok: false, reason: "Pick the products the tiers apply to." };
      const tierRows: PreviewRow[] = [];
      for (const tier of offer.tiers) {
        const row = additionRow(offer, currency, now, [{ item: first, quantity: tier.minQuantity }]);
        if (!row) return { ok: false, reason: missingPrice([first], currency) };
        tierRows.push(row);
      }
      // The product page's table states a price each only when it holds at every quantity of its
      // row; otherwise it states the percentages (`quantityTiersStated`): say so.
      const price = first.price ?? 0;
      const values = offer.tiers.map((tier) => unitSavingApplied(tier.value, price, { currency, rate: null }));
      const priced = offer.tiers.map((tier, index) => ({ minQuantity: tier.minQuantity, value: values[index] ?? { kind: "amountOffEach" as const, value: 0 }, total: tierRows[index]?.after ?? 0 }));
      const perUnit = quantityTiersStated(priced, price).each;
      tierRows.forEach((row, index) => {
        const value = priced[index]?.value;
        rows.push(
          perUnit || value?.kind !== "percentage"
            ? row
            : { ...row, detail: `The product page's table states ${savingLabel(value, currency, formatAmount)}: no price each is exact at every quantity, as checkout rounds the percentage once over the line` },
        );
      });
      const one = previewItem(first, 1);
      if (one) {
        const cart: CartInput = { currency, lines: [{ ...one, id: "preview-1", quantity: 1 }] };
        progress = describeProgress({ cart, offers: [offer], now })[0]?.message ?? null;
      }
      break;
    }
    case "spendTiers": {
      for (const tier of offer.tiers) {
        const subtotal = tier.minSubtotal.amount;
        const cart: CartInput = {
          currency,
          lines: [{ id: "preview-cart", variantId: "preview-variant", productId: "preview-product", collectionIds: [], unitPrice: subtotal, quantity: 1 }],
        };
        const priced = priceCart({ cart, offers: [offer], now });
        rows.push({
          label: `A cart of ${formatAmount(subtotal, currency)}`,
          before: priced.subtotal,
          after: priced.total,
          saving: priced.totalDiscount,
          message: priced.applied[0]?.message ?? null,
        });
      }
      const firstThreshold = offer.tiers[0]?.minSubtotal.amount ?? 0;
      // A cart four fifths of the way to the first tier: what the progress bar tells that buyer.
      const sample = Math.floor((firstThreshold * 4) / 5);
      if (sample > 0) {
        const cart: CartInput = {
          currency,
          lines: [{ id: "preview-cart", variantId: "preview-variant", productId: "preview-product", collectionIds: [], unitPrice: sample, quantity: 1 }],
        };
        progress = describeProgress({ cart, offers: [offer], now })[0]?.message ?? null;
      }
      break;
    }
    case "upgradeLadder": {
      for (let index = 0; index + 1 < draft.steps.length; index += 1) {
        const from = draft.steps[index]?.item;
        const to = draft.steps[index + 1]?.item;
        const fromItem = from && previewItem(from, 1);
        const toItem = to && previewItem(to, 1);
        if (!from || !to || !fromItem || !toItem) return { ok: false, reason: missingPrice(draft.steps.map((step) => step.item), currency) };
        const result = previewUpgrade({ cart: emptyCart(currency), offers: [offer], now, from: fromItem, to: toItem });
        // The upgraded item's own price before and after the incentive, as a cart holding only it is
        // charged. Not result.saving: that is the saving beside the step below, which is itself
        // discounted when it is not the first step, so it would state a middle-to-top upgrade at
        // full price. The difference from the step below as charged (which the incentive may turn
        // negative) is said in words, as the storefront's upgrade widget says it.
        const after = result.cartAfter.total;
        rows.push({
          label: `${from.title} → ${to.title}`,
          before: toItem.unitPrice,
          after,
          saving: toItem.unitPrice - after,
          message: result.cartAfter.applied[0]?.message ?? null,
          detail: differenceText(result.priceAfter, from.title, currency),
        });
      }
      break;
    }
  }
  return { ok: true, currency, rows, progress };
}
