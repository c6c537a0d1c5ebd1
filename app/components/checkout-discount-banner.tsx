import { Banner } from "@shopify/polaris";

/** What the offer pages need to know about checkout's discount (app/services/discount-sync.server.ts). */
export interface CheckoutDiscountSummary {
  readonly status: string;
  readonly lastError: string | null;
}

/**
 * Shown above the offer lists while checkout is not applying the offers' savings, so a merchant
 * does not learn it from a buyer. The fix lives on the Shopify data page.
 */
export function CheckoutDiscountBanner({ discount }: { discount: CheckoutDiscountSummary }) {
  const action = { content: "Open Shopify data", url: "/app/sync" };
  if (discount.status === "error") {
    return (
      <Banner tone="critical" title="Checkout is not applying your offers' savings" action={action}>
        <p>
          Upshelf could not write its discount to Shopify{discount.lastError ? `: ${discount.lastError}` : "."} Until a write
          succeeds, the storefront shows offers without promising savings. Upshelf tries again every 10 minutes.
        </p>
      </Banner>
    );
  }
  if (discount.status === "deleted_in_shopify" || discount.status === "deactivated_in_shopify") {
    return (
      <Banner tone="warning" title="Checkout is not applying your offers' savings" action={{ ...action, content: "Restore discount" }}>
        <p>{discount.lastError}</p>
      </Banner>
    );
  }
  return null;
}
