import db from "~/db.server";
import type { ReportedEventKind, Surface } from "~/core/post-purchase";
import { isUniqueViolation } from "./unique-violation";

/**
 * How a checkout answered its post-purchase offer: accepted (recorded when its changeset is
 * signed, and again when the page reports it applied) or declined, once. The unique key
 * (shop, surface, reference) decides between two answers reported at the same moment, which a
 * read-then-write check could not. Every query is scoped by shop.
 */
export async function recordCheckoutOutcome(shopId: string, surface: Surface, referenceId: string, kind: ReportedEventKind): Promise<string> {
  try {
    await db.checkoutOutcome.create({ data: { shopId, surface, referenceId, kind } });
    return kind;
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
  }
  return (await checkoutOutcome(shopId, surface, referenceId)) ?? kind;
}

/** The answer that stands for a checkout, or null before it answered. */
export async function checkoutOutcome(shopId: string, surface: Surface, referenceId: string): Promise<string | null> {
  const row = await db.checkoutOutcome.findUnique({
    where: { shopId_surface_referenceId: { shopId, surface, referenceId } },
    select: { kind: true },
  });
  return row?.kind ?? null;
}
