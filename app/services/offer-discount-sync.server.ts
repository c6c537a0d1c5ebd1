/**
 * After an offer changes, the shop's automatic app discounts must carry the new configuration to
 * checkout. The offer is already saved when this runs, so a failed sync never undoes the save: it
 * comes back as sentences the page shows in a Banner, and the next save retries.
 */
import { syncShopDiscounts } from "~/services/discount-sync.server";

export interface SyncOutcome {
  /** False when nothing that reaches checkout changed (e.g. a duplicate, which is a draft). */
  readonly ran: boolean;
  /** Failures: checkout may still apply the previous configuration. */
  readonly errors: readonly string[];
  /** Active offers saved but left out of checkout (e.g. the configuration size limit). */
  readonly warnings: readonly string[];
}

export const NOT_SYNCED: SyncOutcome = { ran: false, errors: [], warnings: [] };

export async function syncDiscountsAfterChange(shopId: string): Promise<SyncOutcome> {
  try {
    const report = await syncShopDiscounts(shopId);
    return { ran: true, errors: [...report.errors], warnings: [...report.warnings] };
  } catch (error) {
    return {
      ran: true,
      errors: [`Checkout discounts could not be updated: ${error instanceof Error ? error.message : String(error)}`],
      warnings: [],
    };
  }
}
