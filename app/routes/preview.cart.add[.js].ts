import type { ActionFunctionArgs } from "@remix-run/node";
import { addToCart } from "~/services/storefront-preview/cart-actions.server";

/** POST /preview/cart/add.js: Shopify's Ajax add to cart (demo mode only). */
export function action({ request }: ActionFunctionArgs) {
  return addToCart(request, "json");
}
