import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { authenticateAppProxy, methodNotAllowed, STOREFRONT_HEADERS } from "~/services/app-proxy.server";
import { jsonError, parseOrThrow, queryObject } from "~/services/http.server";
import { describeProductOffers } from "~/services/offer-pricing.server";

/**
 * GET /apps/upshelf/offers?product_id=123[&variant_id=456]: the live offers that concern a
 * product (quantity breaks, bundles it belongs to, the next upgrade step, the shop's spend tiers),
 * priced from the catalog exactly as checkout will price them. Quantity breaks are priced for the
 * variant the buyer has selected (`variant_id`, one of the product's), else its first.
 */
const querySchema = z.object({
  product_id: z.string({ required_error: "is required" }).regex(/^\d{1,20}$/, "must be a numeric Shopify product id"),
  variant_id: z.string().regex(/^\d{1,20}$/, "must be a numeric Shopify variant id").optional(),
});

export async function loader({ request }: LoaderFunctionArgs) {
  const { shopId } = await authenticateAppProxy(request);
  const query = parseOrThrow(querySchema, queryObject(new URL(request.url).searchParams), { headers: STOREFRONT_HEADERS });
  const offers = await describeProductOffers(shopId, query.product_id, query.variant_id ? { variantId: query.variant_id } : {});
  if (!offers) {
    return jsonError(404, "unknown_product", `This shop has no product ${query.product_id}.`, { headers: STOREFRONT_HEADERS });
  }
  return Response.json(offers, { headers: STOREFRONT_HEADERS });
}

export function action() {
  return methodNotAllowed("GET", "Ask for a product's offers with GET.");
}
