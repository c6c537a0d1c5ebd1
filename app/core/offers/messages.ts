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

function savingText(value: ResolvedValue, currency: string): string {
  switch (value.kind) {
    case "percentage":
      return `save ${formatBasisPoints(value.value)}%`;
    case "amountOff":
      return `save ${moneyText(value.value, currency)}`;
    case "amountOffEach":
      return `save ${moneyText(value.value, currency)} each`;
    case "fixedPrice":
      return `for ${moneyText(value.value, currency)}`;
  }
}

export function bundleMessage(value: ResolvedValue, currency: string): string {
  return value.kind === "fixedPrice"
    ? `Bundle price: ${moneyText(value.value, currency)}`
    : `Bundle: ${savingText(value, currency)}`;
}

export function mixAndMatchMessage(setSize: number, value: ResolvedValue, currency: string): string {
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

export { moneyText };
