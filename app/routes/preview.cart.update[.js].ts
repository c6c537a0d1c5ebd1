import type { ActionFunctionArgs } from "@remix-run/node";
import { updateCart } from "~/services/storefront-preview/cart-actions.server";

/** POST /preview/cart/update.js: Shopify's Ajax cart update, attributes only (demo mode only). */
export function action({ request }: ActionFunctionArgs) {
  return updateCart(request);
}
