import type { LoaderFunctionArgs } from "@remix-run/node";
import { storefrontContext, storefrontPage, storefrontSection } from "~/services/storefront-preview/storefront.server";

/**
 * /preview/cart: the cart page, priced with checkout's discounts, and the cart upsell (demo mode
 * only). `?section_id=` answers one section, as Shopify's Section Rendering API does.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const context = await storefrontContext(request);
  const sectionId = new URL(request.url).searchParams.get("section_id");
  if (sectionId !== null) return storefrontSection(request, context, sectionId);
  return storefrontPage(request, context, { template: "cart", title: "Your cart" });
}
