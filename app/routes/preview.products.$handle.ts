import type { LoaderFunctionArgs } from "@remix-run/node";
import { findPreviewProduct } from "~/services/storefront-preview/preview-catalog.server";
import { productJson } from "~/services/storefront-preview/storefront-json";
import { json, liquidProduct, storefrontContext, storefrontPage } from "~/services/storefront-preview/storefront.server";

/**
 * /preview/products/<handle>: the product page with Upshelf's product blocks, and
 * /preview/products/<handle>.js: the product as Shopify's Ajax API returns it (demo mode only).
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const context = await storefrontContext(request);
  const requested = params.handle ?? "";
  const asJson = requested.endsWith(".js");
  const handle = asJson ? requested.slice(0, -3) : requested;
  const product = await findPreviewProduct(context.shopId, handle);
  if (!product) {
    return asJson ? json({ status: 404, message: "Not Found", description: "No such product." }, context, { status: 404 }) : new Response("Not Found", { status: 404 });
  }
  if (asJson) return json(productJson(product), context);
  return storefrontPage(request, context, { template: "product", title: product.title, objects: { product: liquidProduct(product) } });
}
