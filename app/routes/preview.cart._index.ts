import type { LoaderFunctionArgs } from "@remix-run/node";
import { storefrontContext, storefrontPage } from "~/services/storefront-preview/storefront.server";

/** /preview/cart: the cart page, priced with checkout's discounts, and the cart upsell (demo mode only). */
export async function loader({ request }: LoaderFunctionArgs) {
  const context = await storefrontContext(request);
  return storefrontPage(request, context, { template: "cart", title: "Your cart" });
}
