/**
 * The words a buyer sees next to a discount, in cart, widget and checkout alike. They state the
 * saving exactly as it is computed: no "up to", no invented reference price, no urgency.
 * English for now; the strings are built in one place so translation can replace them here.
 */
import { formatBasisPoints, formatMoney, percentToBasisPoints } from "../money";

export interface ResolvedValue {
  readonly kind: "percentage" | "amountOff" | "fixedPrice" | "amountOffEach";
  /** Basis points for a percentage, cart-currency minor units otherwise. */
  readonly value: number;
}

export function percentText(percent: number): string {
  return `${formatBasisPoints(percentToBasisPoints(percent))}%`;
}

function moneyText(amount: number, currency: string): string {
  return formatMoney({ amount, currency });
}

/**
 * How an amount of minor units is written: with the code ("5.00 GBP", the default: checkout's
 * titles, as the function runs without Intl), or with the symbol (`formatMinorForDisplay`, the
 * storefront's English texts). Only the amount differs; the words are these.
 */
export type MoneyWords = (amount: number, currency: string) => string;

/** "save 15%", "save 5.00 GBP", "save 1.00 GBP each", "for 20.00 GBP". */
export function savingText(value: ResolvedValue, currency: string, money: MoneyWords = moneyText): string {
  switch (value.kind) {
    case "percentage":
      return `save ${formatBasisPoints(value.value)}%`;
    case "amountOff":
      return `save ${money(value.value, currency)}`;
    case "amountOffEach":
      return `save ${money(value.value, currency)} each`;
    case "fixedPrice":
      return `for ${money(value.value, currency)}`;
  }
}

/**
 * A saving as a reward: "15% off", "£5.00 off", "£1.00 off each", "£2.00 each" (the storefront's
 * progress texts, locales/en.default.json upshelf.progress.saving_*, and /offers' spend tiers).
 */
export function savingLabel(value: ResolvedValue, currency: string, money: MoneyWords = moneyText): string {
  switch (value.kind) {
    case "percentage":
      return `${formatBasisPoints(value.value)}% off`;
    case "amountOff":
      return `${money(value.value, currency)} off`;
    case "amountOffEach":
      return `${money(value.value, currency)} off each`;
    case "fixedPrice":
      return `${money(value.value, currency)} each`;
  }
}

/**
 * What the sets of one offer saved, when one amount cannot say it: sets capped at their total (a
 * set cheaper than its amount off is free, not cheaper by the amount) beside sets that got it
 * whole. Their total, and how many sets share it.
 */
export interface UnevenSets {
  readonly total: number;
  readonly sets: number;
}

export function bundleMessage(value: ResolvedValue | UnevenSets, currency: string): string {
  if ("sets" in value) return `Bundle: save ${moneyText(value.total, currency)} on ${value.sets} bundles`;
  return value.kind === "fixedPrice"
    ? `Bundle price: ${moneyText(value.value, currency)}`
    : `Bundle: ${savingText(value, currency)}`;
}

export function mixAndMatchMessage(setSize: number, value: ResolvedValue | UnevenSets, currency: string): string {
  if ("sets" in value) return `Any ${setSize}: save ${moneyText(value.total, currency)} on ${value.sets} sets`;
  return value.kind === "fixedPrice"
    ? `Any ${setSize} for ${moneyText(value.value, currency)}`
    : `Any ${setSize}: ${savingText(value, currency)}`;
}

export function buyXGetYMessage(buy: number, get: number, basisPoints: number): string {
  return basisPoints >= 10_000
    ? `Buy ${buy} get ${get} free`
    : `Buy ${buy} get ${get} at ${formatBasisPoints(basisPoints)}% off`;
}

export function quantityBreakMessage(minQuantity: number, value: ResolvedValue, currency: string): string {
  return `Buy ${minQuantity}+: ${savingText(value, currency)}`;
}

export function spendTierMessage(threshold: number, value: ResolvedValue, currency: string): string {
  return `Spend ${moneyText(threshold, currency)}: ${savingText(value, currency)}`;
}

export function upgradeMessage(value: ResolvedValue, currency: string): string {
  return `Upgrade: ${savingText(value, currency)}`;
}

/**
 * The one message for several: each distinct message once, in the order given. Checkout shows
 * one title per line, so the messages of a line's offers are joined; an offer whose lines say
 * different things (quantity breaks counted per product, an amount off each capped at a cheaper
 * item's price) is described by its lines' messages the same way.
 */
export function joinMessages(messages: readonly string[]): string {
  return [...new Set(messages)].join(" + ");
}

export { moneyText };
