import { percentToBasisPoints } from "../money";
import type { ResolvedValue } from "./messages";
import { resolveAmount, type PricingContext } from "./pricing-context";
import type { OrderDiscountValue, UnitDiscount } from "./types";

export function resolveUnitDiscount(value: UnitDiscount, context: PricingContext): ResolvedValue | null {
  if (value.kind === "percentage") return { kind: "percentage", value: percentToBasisPoints(value.percent) };
  const amount = resolveAmount(value.amount, context);
  return amount === null ? null : { kind: "amountOffEach", value: amount };
}

export function resolveOrderDiscount(value: OrderDiscountValue, context: PricingContext): ResolvedValue | null {
  if (value.kind === "percentage") return { kind: "percentage", value: percentToBasisPoints(value.percent) };
  const amount = resolveAmount(value.amount, context);
  return amount === null ? null : { kind: "amountOff", value: amount };
}
