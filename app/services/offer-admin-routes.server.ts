/**
 * The loaders and actions of the three offer pages (bundles, tiered discounts, upgrade ladders),
 * shared because the pages differ only in which offer types they hold. Each authenticates first
 * and passes the authenticated shop id down; nothing reads an id's shop from the request.
 */
import { redirect } from "@remix-run/node";
import { z } from "zod";
import { OFFER_FAMILIES, type OfferFamily } from "~/components/offers/families";
import { emptyDraft } from "~/components/offers/offer-draft";
import type { OfferFormPageData } from "~/components/offers/offer-form-page";
import type { OfferIndexPageData } from "~/components/offers/offer-index-page";
import type { OfferType } from "~/core/offers";
import { deleteOffer } from "~/models/offer.server";
import { authenticateAdmin } from "~/services/admin-auth.server";
import { readAdminForm } from "~/services/admin-form.server";
import {
  editOfferFormData,
  findFamilyOffer,
  listFamilyOffers,
  newOfferFormData,
  noSuchOffer,
  runRowAction,
  saveOfferForm,
} from "~/services/offer-admin.server";
import { checkoutDiscountState } from "~/services/discount-sync.server";
import { syncDiscountsAfterChange } from "~/services/offer-discount-sync.server";

/**
 * Validation, not-found and changed-elsewhere answers are returned to the page, which shows them
 * with the merchant's form kept; anything else propagates.
 */
async function answer(run: () => Promise<unknown>): Promise<Response> {
  try {
    return Response.json(await run());
  } catch (thrown) {
    if (thrown instanceof Response && (thrown.status === 400 || thrown.status === 404 || thrown.status === 409)) return thrown;
    throw thrown;
  }
}

const idSchema = z.string().trim().min(1).max(64);

function offerIdParam(params: Record<string, string | undefined>): string {
  const parsed = idSchema.safeParse(params.id);
  if (!parsed.success) throw noSuchOffer();
  return parsed.data;
}

export async function offerIndexLoader(request: Request, family: OfferFamily): Promise<OfferIndexPageData> {
  const { shopId } = await authenticateAdmin(request);
  const [offers, checkoutDiscount] = await Promise.all([listFamilyOffers(shopId, family), checkoutDiscountState(shopId)]);
  return { family, ...offers, checkoutDiscount: { status: checkoutDiscount.status, lastError: checkoutDiscount.lastError } };
}

export async function offerIndexAction(request: Request, family: OfferFamily): Promise<Response> {
  const { shopId } = await authenticateAdmin(request);
  const formData = await readAdminForm(request);
  return answer(() => runRowAction({ shopId, family, formData }));
}

export async function newOfferLoader(request: Request, family: OfferFamily): Promise<OfferFormPageData> {
  const { shopId, mode } = await authenticateAdmin(request);
  const types = OFFER_FAMILIES[family].types;
  const requested = new URL(request.url).searchParams.get("type");
  const type = types.find((candidate) => candidate === requested) ?? (types[0] as OfferType);
  const data = await newOfferFormData(shopId, emptyDraft(type));
  return { mode, family, offerId: null, now: Date.now(), ...data };
}

export async function newOfferAction(request: Request, family: OfferFamily): Promise<Response> {
  const { shopId } = await authenticateAdmin(request);
  const formData = await readAdminForm(request);
  return answer(() => saveOfferForm({ shopId, family, offerId: null, formData }));
}

export async function editOfferLoader(
  request: Request,
  family: OfferFamily,
  params: Record<string, string | undefined>,
): Promise<OfferFormPageData> {
  const { shopId, mode } = await authenticateAdmin(request);
  const record = await findFamilyOffer(shopId, family, offerIdParam(params));
  const data = await editOfferFormData(shopId, record);
  return { mode, family, offerId: record.id, now: Date.now(), ...data };
}

export async function editOfferAction(request: Request, family: OfferFamily, params: Record<string, string | undefined>): Promise<Response> {
  const { shopId } = await authenticateAdmin(request);
  const id = offerIdParam(params);
  const formData = await readAdminForm(request);
  if (formData.get("intent") === "delete") {
    return answer(async () => {
      const record = await findFamilyOffer(shopId, family, id);
      await deleteOffer(shopId, record.id);
      const sync = await syncDiscountsAfterChange(shopId);
      // Straight to the list (this page's loader would 404 now), which confirms the delete by title.
      if (sync.errors.length === 0) throw redirect(`${OFFER_FAMILIES[family].path}?deleted=${encodeURIComponent(record.title)}`);
      return { ok: true, intent: "delete", offerId: record.id, sync };
    });
  }
  return answer(() => saveOfferForm({ shopId, family, offerId: id, formData }));
}
