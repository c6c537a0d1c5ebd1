import { createHash } from "node:crypto";
import db from "~/db.server";
import {
  checkoutOutcomeKind,
  followedCheckouts,
  OUTCOME_TRANSITIONS,
  purchaseLinesKey,
  ANSWERED_OUTCOMES,
  THANK_YOU_FOLLOWS_WITHIN_MS,
  thankYouPurchaseKeys,
  type AnsweredCheckout,
  type CheckoutOutcomeKind,
  type OutcomeReport,
  type PurchasedLine,
  type Surface,
  type ThankYouPurchaseKey,
} from "~/core/post-purchase";
import { chunks, IN_LIST_SIZE } from "./in-lists";
import { acceptedVariantsOf } from "./post-purchase-acceptance.server";
import { isUniqueViolation } from "./unique-violation";

/**
 * How a checkout answered its post-purchase offer (core/post-purchase/outcome.ts says how reports
 * move it), and which thank-you page followed it (core/post-purchase/thank-you-follows.ts). The
 * unique keys and conditional updates decide between two requests that arrive together, which a
 * read-then-write check could not. Every query is scoped by shop.
 */

/** What is kept of a purchase's lines: a fixed-length digest, so the index holds any purchase. */
function purchaseDigest(lines: readonly PurchasedLine[]): string {
  return digestOf(purchaseLinesKey(lines));
}

function digestOf(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

/**
 * Records a report and returns the outcome that stands after it: the report's own when it took
 * an empty row or replaced a state it may replace, else the one that was there. `purchase`: the
 * lines the token signed (null when it carries none readable), kept with the first report.
 */
export async function recordCheckoutOutcome(
  shopId: string,
  surface: Surface,
  referenceId: string,
  report: OutcomeReport,
  at: Date,
  purchase: readonly PurchasedLine[] | null,
): Promise<CheckoutOutcomeKind> {
  const { becomes, replaces } = OUTCOME_TRANSITIONS[report];
  try {
    await db.checkoutOutcome.create({
      data: { shopId, surface, referenceId, kind: becomes, createdAt: at, purchaseDigest: purchase ? purchaseDigest(purchase) : null },
    });
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

/**
 * Whether the thank-you page of order `thankYouReferenceId`, which bought `lines`, follows a
 * post-purchase checkout that answered its offer. Once recognised, always: the answer is marked
 * as taken by this order. Only a page's first request (`mayTake`: it was shown no offer yet) takes
 * an answer not yet taken; a later one would take another buyer's answer given since.
 */
export async function followsAnsweredCheckout(
  shopId: string,
  thankYouReferenceId: string,
  lines: readonly PurchasedLine[],
  now: Date,
  options: { mayTake: boolean },
): Promise<boolean> {
  const taken = await db.checkoutOutcome.findFirst({ where: { shopId, thankYouReferenceId }, select: { id: true } });
  if (taken) return true;
  if (!options.mayTake || lines.length === 0) return false;

  const keysByDigest = new Map<string, ThankYouPurchaseKey[]>();
  for (const key of thankYouPurchaseKeys(lines)) {
    const digest = digestOf(key.key);
    keysByDigest.set(digest, [...(keysByDigest.get(digest) ?? []), key]);
  }
  const since = new Date(now.getTime() - THANK_YOU_FOLLOWS_WITHIN_MS);
  const rows = [];
  for (const digests of chunks([...keysByDigest.keys()], IN_LIST_SIZE)) {
    rows.push(
      ...(await db.checkoutOutcome.findMany({
        where: {
          shopId,
          surface: "post_purchase",
          purchaseDigest: { in: digests },
          // No upper bound: the answer's time is the clock of the process that recorded it, which
          // may run ahead of this one's, and an answer seconds "after" this request is still its buyer's.
          createdAt: { gte: since },
          kind: { in: [...ANSWERED_OUTCOMES] },
        },
        select: { id: true, referenceId: true, kind: true, createdAt: true, purchaseDigest: true, thankYouReferenceId: true },
      })),
    );
  }
  // Answers another page took are left out here, not in the query: asked for untaken rows, a
  // planner may read all the shop's untaken answers through the (shop, thank-you order) key.
  const candidates: AnsweredCheckout[] = rows.filter((row) => row.thankYouReferenceId === null).flatMap((row) =>
    (keysByDigest.get(row.purchaseDigest ?? "") ?? []).map((match) => ({ id: row.id, referenceId: row.referenceId, kind: checkoutOutcomeKind(row.kind), createdAt: row.createdAt, match })),
  );
  const needVariants = candidates.filter((candidate) => candidate.match.addedVariantId !== null).map((candidate) => candidate.referenceId);
  const accepted = await acceptedVariantsOf(shopId, needVariants);
  for (const candidate of followedCheckouts(candidates, accepted)) {
    try {
      const took = await db.checkoutOutcome.updateMany({ where: { shopId, id: candidate.id, thankYouReferenceId: null }, data: { thankYouReferenceId } });
      if (took.count > 0) return true;
    } catch (error) {
      // Another request for this order (a second tab) took an answer meanwhile.
      if (isUniqueViolation(error)) return true;
      throw error;
    }
  }
  return false;
}
