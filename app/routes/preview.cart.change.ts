import type { ActionFunctionArgs } from "@remix-run/node";
import { changeCart } from "~/services/storefront-preview/cart-actions.server";

/** POST /preview/cart/change: the cart page's quantity forms without JavaScript (demo mode only). */
export function action({ request }: ActionFunctionArgs) {
  return changeCart(request, "form");
}
