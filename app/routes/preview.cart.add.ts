import type { ActionFunctionArgs } from "@remix-run/node";
import { addToCart } from "~/services/storefront-preview/cart-actions.server";

/** POST /preview/cart/add: a theme's product form without JavaScript; redirects to the cart (demo mode only). */
export function action({ request }: ActionFunctionArgs) {
  return addToCart(request, "form");
}
