/**
 * Offers as stored per shop. The row keeps the offer exactly as `parseOffer` accepted it (the
 * `config` JSON, with the row id as the offer id), plus copies of the fields the admin lists and
 * filters by. Every function takes the shop id first and never reads or writes another shop's rows.
 */
import { randomBytes } from "node:crypto";
import { safeParseOffer, type Offer, type OfferIssue, type OfferType, type ParseOfferOptions } from "~/core/offers";
import db from "~/db.server";

export type OfferStatus = Offer["status"];

export interface OfferRecord {
  id: string;
  shopId: string;
  type: OfferType;
  title: string;
  status: OfferStatus;
  priority: number;
  startsAt: Date | null;
  endsAt: Date | null;
  offer: Offer;
  createdAt: Date;
  updatedAt: Date;
  /** The editor's token of the save that last wrote the offer; null after any other write. */
  saveToken: string | null;
  /** The version (`updatedAt`) that save's form held when it was sent. */
  saveBasedOn: Date | null;
}

export type SaveOfferResult = { ok: true; offer: OfferRecord } | { ok: false; issues: readonly OfferIssue[] };

type OfferRow = Awaited<ReturnType<typeof db.offer.findFirstOrThrow>>;

function toRecord(row: OfferRow): OfferRecord {
  return {
    id: row.id,
    shopId: row.shopId,
    type: row.type as OfferType,
    title: row.title,
    status: row.status as OfferStatus,
    priority: row.priority,
    startsAt: row.startsAt,
    endsAt: row.endsAt,
    offer: JSON.parse(row.config) as Offer,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    saveToken: row.saveToken,
    saveBasedOn: row.saveBasedOn,
  };
}

/** The editor's save that writes an offer: its token, and the version its form held (none for a new offer). */
export interface EditorSave {
  readonly token: string;
  readonly basedOn: Date | null;
}

/**
 * An offer's columns as written. Every write names who wrote it: an editor's save, or nothing
 * (a row action, a bulk action), which clears the mark so no form's lost save can match it.
 */
function columnsOf(offer: Offer, save: EditorSave | null = null) {
  return {
    saveToken: save?.token ?? null,
    saveBasedOn: save?.basedOn ?? null,
    type: offer.type,
    title: offer.title,
    status: offer.status,
    priority: offer.priority,
    startsAt: offer.schedule.startsAt === null ? null : new Date(offer.schedule.startsAt),
    endsAt: offer.schedule.endsAt === null ? null : new Date(offer.schedule.endsAt),
    config: JSON.stringify(offer),
  };
}

export function newOfferId(): string {
  return `off_${randomBytes(8).toString("hex")}`;
}

export interface ListOffersFilter {
  readonly types?: readonly OfferType[];
  readonly statuses?: readonly OfferStatus[];
  readonly ids?: readonly string[];
}

export async function listOffers(shopId: string, filter: ListOffersFilter = {}): Promise<OfferRecord[]> {
  const rows = await db.offer.findMany({
    where: {
      shopId,
      ...(filter.types ? { type: { in: [...filter.types] } } : {}),
      ...(filter.statuses ? { status: { in: [...filter.statuses] } } : {}),
      ...(filter.ids ? { id: { in: [...filter.ids] } } : {}),
    },
    orderBy: [{ priority: "desc" }, { createdAt: "asc" }, { id: "asc" }],
  });
  return rows.map(toRecord);
}

export async function findOffer(shopId: string, id: string): Promise<OfferRecord | null> {
  const row = await db.offer.findFirst({ where: { shopId, id } });
  return row ? toRecord(row) : null;
}

/**
 * The offers that can apply now, as the pricing engine takes them. Status and schedule are also
 * checked by the engine itself (`isOfferLive`); this only avoids loading what cannot apply.
 * Oldest first within a priority: when not every offer fits checkout's configuration, the
 * encoder admits them in this order, so a new offer cannot push an older live one out.
 */
export async function listActiveOffers(shopId: string): Promise<Offer[]> {
  const rows = await db.offer.findMany({
    where: { shopId, status: "active" },
    orderBy: [{ priority: "desc" }, { createdAt: "asc" }, { id: "asc" }],
  });
  return rows.map((row) => toRecord(row).offer);
}

/**
 * Creates an offer from untrusted input (validated here). With a `clientToken`, submitting the
 * same form twice returns the offer the first submit created.
 */
export async function createOffer(
  shopId: string,
  input: Record<string, unknown>,
  options: ParseOfferOptions & { clientToken?: string; saveToken?: string } = {},
): Promise<SaveOfferResult> {
  if (options.clientToken) {
    const existing = await db.offer.findFirst({ where: { shopId, clientToken: options.clientToken } });
    if (existing) return { ok: true, offer: toRecord(existing) };
  }
  const { clientToken, saveToken, ...parseOptions } = options;
  const parsed = safeParseOffer({ ...input, id: newOfferId() }, parseOptions);
  if (!parsed.ok) return parsed;
  try {
    const row = await db.offer.create({
      data: { id: parsed.offer.id, shopId, clientToken: clientToken ?? null, ...columnsOf(parsed.offer, saveToken ? { token: saveToken, basedOn: null } : null) },
    });
    return { ok: true, offer: toRecord(row) };
  } catch (error) {
    // Two identical submits raced: the other one created it.
    if (options.clientToken) {
      const existing = await db.offer.findFirst({ where: { shopId, clientToken: options.clientToken } });
      if (existing) return { ok: true, offer: toRecord(existing) };
    }
    throw error;
  }
}

/** The offer a form created with this `clientToken` (createOffer), if its save arrived. */
export async function findOfferByClientToken(shopId: string, clientToken: string): Promise<OfferRecord | null> {
  const row = await db.offer.findFirst({ where: { shopId, clientToken } });
  return row ? toRecord(row) : null;
}

/**
 * Whether the offer changed since a form loaded it at `expectedUpdatedAt` by anything but that
 * form's own saves that got no answer (`unansweredSaves`, their tokens). Such a save landed, so
 * the offer is newer than the form; it is the form's own when the offer was last written by one
 * of them AND that save was based on the version the form still holds: then nothing else came in
 * between (any other write, another tab's or a row action's, replaces or clears the mark).
 */
export function changedSinceForm(record: Pick<OfferRecord, "updatedAt" | "saveToken" | "saveBasedOn">, expectedUpdatedAt: Date, unansweredSaves: readonly string[] = []): boolean {
  if (record.updatedAt.getTime() === expectedUpdatedAt.getTime()) return false;
  const ownLostSave =
    record.saveToken !== null && unansweredSaves.includes(record.saveToken) && record.saveBasedOn?.getTime() === expectedUpdatedAt.getTime();
  return !ownLostSave;
}

/**
 * Replaces an offer's configuration; null when the shop has no such offer, "changed" when
 * `expectedUpdatedAt` is given and the offer changed since (another tab, a bulk action).
 *
 * An update to what the offer already holds is saved whatever `expectedUpdatedAt` says, without a
 * write: it overwrites nothing. That is the same save sent again after its answer was lost (the
 * form still holds the version it was loaded with), which must read as saved, not as a change
 * made elsewhere (docs/decisions/0013).
 *
 * An editor's save (`save`) is stored with its token and the version its form held, and may be
 * saved over an offer newer than `expectedUpdatedAt` when only that form's own lost saves
 * (`save.unanswered`) came in between (`changedSinceForm`): edited further after a save whose
 * answer was lost, the form still holds the version it loaded.
 */
export async function updateOffer(
  shopId: string,
  id: string,
  input: Record<string, unknown>,
  options: ParseOfferOptions & { expectedUpdatedAt?: Date; save?: { token: string; unanswered: readonly string[] } } = {},
): Promise<SaveOfferResult | "changed" | null> {
  const existing = await db.offer.findFirst({ where: { shopId, id } });
  if (!existing) return null;
  const { expectedUpdatedAt, save, ...parseOptions } = options;
  const parsed = safeParseOffer({ ...input, id }, parseOptions);
  if (parsed.ok && JSON.stringify(parsed.offer) === existing.config) return { ok: true, offer: toRecord(existing) };
  if (expectedUpdatedAt && changedSinceForm(existing, expectedUpdatedAt, save?.unanswered)) return "changed";
  if (!parsed.ok) return parsed;
  // The write checks again against the version just read (the form's, or its own lost save's), so a
  // change landing between the read and the write is not overwritten.
  const { count } = await db.offer.updateMany({
    where: { shopId, id, ...(expectedUpdatedAt ? { updatedAt: existing.updatedAt } : {}) },
    data: columnsOf(parsed.offer, save ? { token: save.token, basedOn: expectedUpdatedAt ?? null } : null),
  });
  if (count === 0) return (await db.offer.count({ where: { shopId, id } })) > 0 ? "changed" : null;
  const saved = await findOffer(shopId, id);
  return saved ? { ok: true, offer: saved } : null;
}

export async function setOfferStatus(shopId: string, id: string, status: OfferStatus): Promise<OfferRecord | null> {
  return (await setOffersStatus(shopId, [id], status)) === 0 ? null : findOffer(shopId, id);
}

/** Sets the status of several of the shop's offers in one transaction; returns how many it found. */
export async function setOffersStatus(shopId: string, ids: readonly string[], status: OfferStatus): Promise<number> {
  return db.$transaction(async (tx) => {
    const rows = await tx.offer.findMany({ where: { shopId, id: { in: [...ids] } } });
    for (const row of rows) {
      const offer = { ...toRecord(row).offer, status } as Offer;
      await tx.offer.updateMany({ where: { shopId, id: row.id }, data: columnsOf(offer) });
    }
    return rows.length;
  });
}

/**
 * A duplicate's title, "Copy of …", within the 255 characters a title may have. Cut by whole
 * characters: a cut through an emoji would leave half of it, which shows as "�" and is not text
 * Shopify's discount title takes.
 */
export function copyTitle(title: string): string {
  const characters = Array.from(`Copy of ${title}`);
  let cut = "";
  for (const character of characters) {
    if (cut.length + character.length > 255) break;
    cut += character;
  }
  return cut;
}

/** True when an offer was deleted; deleting twice is harmless. */
export async function deleteOffer(shopId: string, id: string): Promise<boolean> {
  return (await deleteOffers(shopId, [id])) > 0;
}

/** Deletes those of the ids that are the shop's offers; returns how many went. */
export async function deleteOffers(shopId: string, ids: readonly string[]): Promise<number> {
  const deleted = await db.offer.deleteMany({ where: { shopId, id: { in: [...ids] } } });
  return deleted.count;
}
