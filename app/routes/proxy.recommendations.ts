import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { findOrderProductIds } from "~/models/order-history.server";
import { authenticateAppProxy, STOREFRONT_HEADERS } from "~/services/app-proxy.server";
import { jsonError, parseOrThrow, queryObject } from "~/services/http.server";
import { feedbackAnchor, getServingModel, recommend, type RecommendationContext } from "~/services/recommendations.server";

/**
 * GET /apps/upshelf/recommendations: what a widget shows.
 *   ?placement=pdp&product_id=123            product page
 *   ?placement=cart&variant_ids=11,12        cart (variants as the cart API reports them)
 *   ?placement=post_purchase&order_id=456    after checkout
 * Each recommendation carries the propensity the widget sends back with its impression, click and
 * add-to-cart events (POST /apps/upshelf/events: `anchor`, `model`, `propensity`); those events
 * are what the Thompson-sampling re-ranker learns from.
 */
const numericId = z.string().regex(/^\d{1,20}$/, "must be a numeric Shopify id");

const querySchema = z
  .object({
    placement: z
      .enum(["pdp", "cart", "post_purchase"], {
        message: "must be pdp, cart or post_purchase",
      })
      .default("pdp"),
    product_id: numericId.optional(),
    variant_ids: z
      .string()
      .transform((value) =>
        value
          .split(",")
          .map((id) => id.trim())
          .filter(Boolean)
      )
      .pipe(z.array(numericId).min(1, "name at least one variant").max(100, "at most 100 variants"))
      .optional(),
    order_id: numericId.optional(),
    limit: z.coerce.number().int("must be a whole number").min(1, "must be at least 1").max(20, "must be at most 20").default(4),
  })
  .superRefine((query, ctx) => {
    const needed = {
      pdp: "product_id",
      cart: "variant_ids",
      post_purchase: "order_id",
    } as const;
    const field = needed[query.placement];
    if (query[field] === undefined) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: [field],
        message: `is required for placement=${query.placement}`,
      });
    }
  });

export async function loader({ request }: LoaderFunctionArgs) {
  const { shopId } = authenticateAppProxy(request);
  const query = parseOrThrow(querySchema, queryObject(new URL(request.url).searchParams), { headers: STOREFRONT_HEADERS });
  const model = await getServingModel(shopId);

  let context: RecommendationContext;
  if (query.placement === "pdp") {
    const productId = query.product_id as string;
    if (!model.cards.has(productId)) {
      return jsonError(404, "unknown_product", `This shop has no product ${productId}.`, { headers: STOREFRONT_HEADERS });
    }
    context = { placement: "pdp", productId };
  } else if (query.placement === "cart") {
    const productIds = (query.variant_ids ?? []).flatMap((id) => model.variantToProduct.get(id) ?? []);
    context = { placement: "cart", productIds };
  } else {
    const productIds = await findOrderProductIds(shopId, query.order_id as string);
    if (!productIds) {
      return jsonError(404, "unknown_order", `This shop has no order ${query.order_id}.`, { headers: STOREFRONT_HEADERS });
    }
    context = { placement: "post_purchase", productIds };
  }

  // The widget logs `anchor`, `modelVersion` and each item's `propensity` with its events.
  return Response.json(
    {
      placement: query.placement,
      modelVersion: model.snapshot.version,
      anchor: feedbackAnchor(model, context),
      recommendations: recommend(model, context, query.limit),
    },
    { headers: STOREFRONT_HEADERS }
  );
}
