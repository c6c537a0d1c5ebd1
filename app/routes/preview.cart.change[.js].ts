import type { ActionFunctionArgs } from "@remix-run/node";
import { changeCart } from "~/services/storefront-preview/cart-actions.server";

/** POST /preview/cart/change.js: Shopify's Ajax cart change (demo mode only). */
export function action({ request }: ActionFunctionArgs) {
  return changeCart(request, "json");
}
