import type { LoaderFunctionArgs } from "@remix-run/node";
import { listFeaturedProducts } from "~/services/storefront-preview/preview-catalog.server";
import { productUrl } from "~/services/storefront-preview/storefront-json";
import { storefrontContext, storefrontPage } from "~/services/storefront-preview/storefront.server";

/** /preview: the demo shop's local storefront home page (demo mode only). */
export async function loader({ request }: LoaderFunctionArgs) {
  const context = await storefrontContext(request);
  const products = await listFeaturedProducts(context.shopId, 12);
  const featured = products.map((product) => ({
    title: product.title,
    url: productUrl(product.handle),
    price: product.variants[0]?.price ?? 0,
  }));
  return storefrontPage(request, context, { template: "index", title: "Home", objects: { featured_products: featured } });
}
