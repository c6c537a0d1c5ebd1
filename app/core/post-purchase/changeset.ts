/**
 * The `changes` claim of the changeset token Upshelf signs for Shopify (post-purchase JWT
 * specification): add one unit of the offered variant with the merchant's percentage discount.
 */
import { formatBasisPoints } from "../money";
import type { PricedPostPurchaseOffer } from "./select-offer";

export interface AddVariantChange {
  readonly type: "add_variant";
  /** Spelled as Shopify's changeset token examples spell it. */
  readonly variantID: number;
  readonly quantity: number;
  readonly discount?: { readonly value: number; readonly valueType: "percentage"; readonly title: string };
}

export function discountTitle(basisPoints: number): string {
  return `${formatBasisPoints(basisPoints)}% off, added after checkout`;
}

export function changesForOffer(offer: Pick<PricedPostPurchaseOffer, "variantId" | "discountBasisPoints">): AddVariantChange[] {
  const variantID = Number(offer.variantId);
  if (!Number.isSafeInteger(variantID) || variantID <= 0) {
    throw new RangeError(`"${offer.variantId}" is not a numeric Shopify variant id.`);
  }
  const change: AddVariantChange =
    offer.discountBasisPoints > 0
      ? {
          type: "add_variant",
          variantID,
          quantity: 1,
          discount: {
            value: Number(formatBasisPoints(offer.discountBasisPoints)),
            valueType: "percentage",
            title: discountTitle(offer.discountBasisPoints),
          },
        }
      : { type: "add_variant", variantID, quantity: 1 };
  return [change];
}

/**
 * The same change as the extension asks `calculateChangeset` about, before anything is signed:
 * the extension API spells the id `variantId` (its Changeset type); the numbers are the offer's.
 */
export interface PreviewChangeset {
  readonly changes: {
    readonly type: "add_variant";
    readonly variantId: number;
    readonly quantity: number;
    readonly discount?: { readonly value: number; readonly valueType: "percentage"; readonly title: string };
  }[];
}

export function previewChangeset(offer: { readonly variantId: string; readonly discountPercent: string }): PreviewChangeset {
  const basisPoints = Math.round(Number(offer.discountPercent) * 100);
  const [change] = changesForOffer({ variantId: offer.variantId, discountBasisPoints: Number.isFinite(basisPoints) ? basisPoints : 0 });
  if (!change) return { changes: [] };
  const { variantID, ...rest } = change;
  return { changes: [{ ...rest, variantId: variantID }] };
}
