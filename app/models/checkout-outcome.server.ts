import db from "~/db.server";
import { checkoutOutcomeKind, OUTCOME_TRANSITIONS, type CheckoutOutcomeKind, type OutcomeReport, type Surface } from "~/core/post-purchase";
import { isUniqueViolation } from "./unique-violation";

/**
 * How a checkout answered its post-purchase offer (core/post-purchase/outcome.ts says how reports
 * move it). The unique key (shop, surface, reference) and conditional updates decide between two
 * reports that arrive together, which a read-then-write check could not. Every query is scoped by
 * shop.
 */

/**
 * Records a report and returns the outcome that stands after it: the report's own when it took
 * an empty row or replaced a state it may replace, else the one that was there.
 */
export async function recordCheckoutOutcome(shopId: string, surface: Surface, referenceId: string, report: OutcomeReport, at: Date): Promise<CheckoutOutcomeKind> {
  const { becomes, replaces } = OUTCOME_TRANSITIONS[report];
  try {
    await db.checkoutOutcome.create({ data: { shopId, surface, referenceId, kind: becomes, createdAt: at } });
    return becomes;
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
  }
  if (replaces.length > 0) {
    const replaced = await db.checkoutOutcome.updateMany({ where: { shopId, surface, referenceId, kind: { in: [...replaces] } }, data: { kind: becomes } });
    if (replaced.count > 0) return becomes;
  }
  return (await checkoutOutcome(shopId, surface, referenceId)) ?? becomes;
}

/** The outcome that stands for a checkout, or null before it answered. */
export async function checkoutOutcome(shopId: string, surface: Surface, referenceId: string): Promise<CheckoutOutcomeKind | null> {
  const row = await db.checkoutOutcome.findUnique({
    where: { shopId_surface_referenceId: { shopId, surface, referenceId } },
    select: { kind: true },
  });
  return row ? checkoutOutcomeKind(row.kind) : null;
}
