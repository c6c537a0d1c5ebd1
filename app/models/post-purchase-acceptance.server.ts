import { acceptanceWindow, purchaseLinesKey, type AcceptanceFact, type PurchasedLine } from "~/core/post-purchase";
import db, { type Db } from "~/db.server";
import { chunks, IN_LIST_SIZE } from "./in-lists";

/**
 * Post-purchase offers the buyer accepted (Upshelf signed the changeset), kept until an order
 * webhook shows the line they added, so that line is credited to Upshelf. Every query is scoped
 * by shop. `Db` may be a transaction client.
 */
type Client = Pick<Db, "postPurchaseAcceptance">;

export interface NewAcceptance {
  readonly referenceId: string;
  readonly variantId: string;
  readonly purchaseLines: readonly PurchasedLine[];
  readonly signedAt: Date;
  /** The changeset token signed for it. */
  readonly signedToken: string;
}

/**
 * Records an acceptance and returns the token that stands for it. Signing the same variant again
 * for the same purchase (a retried tap) keeps the first row, so it is still credited at most
 * once, and returns the first token: Shopify applies a token once, so the item cannot be added
 * twice. A row from before tokens were kept takes the new one.
 */
export async function recordPostPurchaseAcceptance(shopId: string, acceptance: NewAcceptance, client: Client = db): Promise<string> {
  const key = { shopId, referenceId: acceptance.referenceId, variantId: acceptance.variantId };
  const row = await client.postPurchaseAcceptance.upsert({
    where: { shopId_referenceId_variantId: key },
    create: {
      ...key,
      purchaseLines: purchaseLinesKey(acceptance.purchaseLines),
      signedAt: acceptance.signedAt,
      signedToken: acceptance.signedToken,
    },
    update: {},
    select: { signedToken: true },
  });
  if (row.signedToken !== null) return row.signedToken;
  await client.postPurchaseAcceptance.updateMany({ where: { ...key, signedToken: null }, data: { signedToken: acceptance.signedToken } });
  const stored = await client.postPurchaseAcceptance.findUnique({ where: { shopId_referenceId_variantId: key }, select: { signedToken: true } });
  return stored?.signedToken ?? acceptance.signedToken;
}

/** The acceptances an order placed between `from` and `to` could have come with. */
export async function acceptancesForOrdersPlaced(shopId: string, from: Date, to: Date, client: Client = db): Promise<AcceptanceFact[]> {
  const window = { from: acceptanceWindow(from).from, to: acceptanceWindow(to).to };
  return client.postPurchaseAcceptance.findMany({
    where: { shopId, signedAt: { gte: window.from, lte: window.to } },
    select: { id: true, variantId: true, purchaseLines: true, signedAt: true, orderShopifyId: true },
    orderBy: { id: "asc" },
  });
}

/** Another order's ingest credited one of these acceptances first (two webhooks at once). */
export class AcceptanceTakenError extends Error {
  constructor() {
    super("A post-purchase acceptance was credited to another order meanwhile.");
    this.name = "AcceptanceTakenError";
  }
}

/**
 * Credits the acceptances to the order, unless another order took one since they were read: then
 * AcceptanceTakenError is thrown, so the caller reads again and matches anew. Call it in the
 * transaction that stores the order, which the error rolls back (the guard is the update's own
 * condition, which the database re-checks on a row another transaction just changed).
 */
export async function markAcceptancesCredited(shopId: string, ids: readonly number[], orderShopifyId: string, client: Client = db): Promise<void> {
  if (ids.length === 0) return;
  const marked = await client.postPurchaseAcceptance.updateMany({
    where: { shopId, id: { in: [...ids] }, OR: [{ orderShopifyId: null }, { orderShopifyId }] },
    data: { orderShopifyId },
  });
  if (marked.count < new Set(ids).size) throw new AcceptanceTakenError();
}

/** The variants signed for each of these purchases (reference id -> variant ids). */
export async function acceptedVariantsOf(shopId: string, referenceIds: readonly string[], client: Client = db): Promise<Map<string, string[]>> {
  const variants = new Map<string, string[]>();
  for (const chunk of chunks([...new Set(referenceIds)], IN_LIST_SIZE)) {
    const rows = await client.postPurchaseAcceptance.findMany({ where: { shopId, referenceId: { in: chunk } }, select: { referenceId: true, variantId: true } });
    for (const row of rows) variants.set(row.referenceId, [...(variants.get(row.referenceId) ?? []), row.variantId]);
  }
  return variants;
}
