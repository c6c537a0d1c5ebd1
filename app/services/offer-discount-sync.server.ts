/**
 * After an offer changes, the shop's automatic app discounts must carry the new configuration to
 * checkout. The offer is already saved when this runs, so a failed sync never undoes the save: it
 * comes back as sentences the page shows in a Banner, and the next save retries.
 *
 * The storefront's offer index (which products show quantity breaks or an upgrade) follows the
 * same offers, so it is written right after; its failures join the same list. So do the
 * recommendations' rules: a bundle's products lead each other's recommendations.
 */
import type { OmissionReason } from "~/core/offers";
import { syncShopDiscounts } from "~/services/discount-sync.server";
import { applyMerchantChanges } from "~/services/recommendations.server";
import { syncStorefrontIndex } from "~/services/storefront-index-sync.server";

export interface SyncOutcome {
  /** False when nothing that reaches checkout changed (e.g. a duplicate, which is a draft). */
  readonly ran: boolean;
  /** Failures: checkout may still apply the previous configuration. */
  readonly errors: readonly string[];
  /** What checkout does not apply as set: active offers left out of it (e.g. the configuration size limit), combinations held back, a discount brought back. */
  readonly warnings: readonly string[];
  /**
   * The active offers checkout leaves out, each with why (`message`, which says what to do) and
   * its sentence in `warnings`: a saved offer's own banner says it is not applied, and the list
   * of the others leaves that one out.
   */
  readonly leftOut: readonly { readonly offerId: string; readonly reason: OmissionReason; readonly message: string; readonly warning: string }[];
}

export const NOT_SYNCED: SyncOutcome = { ran: false, errors: [], warnings: [], leftOut: [] };

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** `automatic`: nobody asked for this write (see SyncOptions); a discount removed in Shopify's admin stays removed. */
export async function syncDiscountsAfterChange(shopId: string, options: { automatic?: boolean } = {}): Promise<SyncOutcome> {
  let outcome: SyncOutcome;
  try {
    const report = await syncShopDiscounts(shopId, options);
    const leftOut = report.leftOut.map(({ offerId, reason, message, warning }) => ({ offerId, reason, message, warning }));
    outcome = { ran: true, errors: [...report.errors], warnings: [...report.warnings], leftOut };
  } catch (error) {
    outcome = { ran: true, errors: [`Checkout discounts could not be updated: ${messageOf(error)}`], warnings: [], leftOut: [] };
  }
  try {
    await applyMerchantChanges(shopId);
  } catch (error) {
    // Nothing for the merchant to act on: the served rules are read again within a minute anyway.
    console.error(`Recommendations did not take up an offer change of shop ${shopId} at once:`, error);
  }
  try {
    const index = await syncStorefrontIndex(shopId);
    return index.errors.length === 0 ? outcome : { ...outcome, errors: [...outcome.errors, ...index.errors] };
  } catch (error) {
    return { ...outcome, errors: [...outcome.errors, `The storefront offer index could not be updated: ${messageOf(error)}`] };
  }
}
