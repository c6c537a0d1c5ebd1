import type { LoaderFunctionArgs } from "@remix-run/node";
import { currentCart, json, storefrontContext } from "~/services/storefront-preview/storefront.server";

/** GET /preview/cart.js: the cart as Shopify's Ajax API reports it (demo mode only). */
export async function loader({ request }: LoaderFunctionArgs) {
  const context = await storefrontContext(request);
  return json(await currentCart(context), context);
}
