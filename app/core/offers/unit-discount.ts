import { percentToBasisPoints } from "../money";
import type { ResolvedValue } from "./messages";
import { resolveAmount, type AmountContext } from "./pricing-context";
import type { OrderDiscountValue, UnitDiscount } from "./types";

export function resolveUnitDiscount(value: UnitDiscount, context: AmountContext): ResolvedValue | null {
  if (value.kind === "percentage") return { kind: "percentage", value: percentToBasisPoints(value.percent) };
  const amount = resolveAmount(value.amount, context);
  return amount === null ? null : { kind: "amountOffEach", value: amount };
}

export function resolveOrderDiscount(value: OrderDiscountValue, context: AmountContext): ResolvedValue | null {
  if (value.kind === "percentage") return { kind: "percentage", value: percentToBasisPoints(value.percent) };
  const amount = resolveAmount(value.amount, context);
  return amount === null ? null : { kind: "amountOff", value: amount };
}

/**
 * A unit discount as a unit at `unitPrice` gets it: an amount off each never takes more than the
 * unit costs, so the words for that unit name what it saves, not the amount configured.
 */
export function appliedToUnit(value: ResolvedValue, unitPrice: number): ResolvedValue {
  return value.kind === "amountOffEach" && unitPrice < value.value ? { kind: "amountOffEach", value: unitPrice } : value;
}
