/**
 * GET /apps/upshelf/recommendations (app proxy path /proxy/recommendations): what a widget shows.
 *   ?placement=pdp&product_id=123            product page
 *   ?placement=cart&variant_ids=11,12        cart (variants as the cart API reports them)
 *   ?placement=post_purchase&order_id=456    after checkout
 * Each recommendation carries the propensity the widget sends back with its impression, click and
 * add-to-cart events (POST /apps/upshelf/events: `anchor`, `model`, `propensity`); those events
 * are what the Thompson-sampling re-ranker learns from.
 *
 * This is the storefront's hottest endpoint (every product and cart page calls it), so the answer
 * is built as text from parsed query parameters, with no Fetch Request or Response on the way:
 * server.ts mounts `handleRecommendationsHttp` ahead of Remix, and the Remix route
 * (app/routes/proxy.recommendations.ts) answers through the same `answerRecommendations`.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import { isCsvOnlyKey } from "~/core/catalog-keys";
import { customShopDomain, getEnv } from "~/env.server";
import { csvKeysOfStorefrontIds } from "~/models/catalog.server";
import { findCustomerOrderProductIds } from "~/models/order-history.server";
import { verifyAppProxyParams } from "./app-proxy-signature.server";
import { STOREFRONT_HEADERS } from "./app-proxy.server";
import { invalidRequestBody, queryObject, unknownShopBody, type ErrorBody } from "./http.server";
import {
  feedbackAnchor,
  getServingModel,
  placementLimit,
  recommendJson,
  UnknownShopError,
  type RecommendationContext,
  type ServingModel,
} from "./recommendations.server";

const numericId = z.string().regex(/^\d{1,20}$/, "must be a numeric Shopify id");

/**
 * Distinct variants a cart request may name: as many lines as POST /cart/price takes. A wholesale
 * cart past 100 lines must still get its upsell, and every item in it stays excluded (only the
 * first 20 are used as evidence, so a long cart costs little).
 */
const MAX_CART_VARIANTS = 500;
/**
 * Entries `variant_ids` may hold as sent, repeats and empty entries included. The widget sends one
 * id per cart line, so a cart of many units of one variant repeats it: repeats are dropped before
 * MAX_CART_VARIANTS applies, and this looser cap keeps that dedupe cheap.
 */
const MAX_VARIANT_ID_ENTRIES = 1000;

const variantIds = z
  .string()
  .transform((value, ctx) => {
    // The split stops one past the cap, so an oversized list is never split whole.
    const entries = value.split(",", MAX_VARIANT_ID_ENTRIES + 1);
    if (entries.length > MAX_VARIANT_ID_ENTRIES) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: `at most ${MAX_VARIANT_ID_ENTRIES} ids, repeats included` });
      return z.NEVER;
    }
    return [...new Set(entries.map((id) => id.trim()).filter(Boolean))];
  })
  .pipe(z.array(numericId).min(1, "name at least one variant").max(MAX_CART_VARIANTS, `at most ${MAX_CART_VARIANTS} variants`));

/**
 * `limit` written in decimal digits and nothing else: z.coerce.number() would also take "1e1",
 * "0x10" and " 4", and read "" as 0.
 */
const limit = z
  .string()
  .transform((text, ctx) => {
    if (/^\d+$/.test(text)) return Number(text);
    const message = /^-\d+$/.test(text)
      ? "must be at least 1"
      : text.trim() === ""
        ? "must be a whole number, not empty"
        : "must be a whole number written in decimal digits, such as 4";
    ctx.addIssue({ code: z.ZodIssueCode.custom, message });
    return z.NEVER;
  })
  .pipe(z.number().min(1, "must be at least 1").max(20, "must be at most 20"));

/** Read from `queryObject`, so a repeated parameter arrives as its values joined with ",". */
export const recommendationsQuerySchema = z
  .object({
    placement: z.enum(["pdp", "cart", "post_purchase"], { message: "must be pdp, cart or post_purchase" }).default("pdp"),
    product_id: numericId.optional(),
    variant_ids: variantIds.optional(),
    order_id: numericId.optional(),
    limit: limit.default("4"),
  })
  .superRefine((query, ctx) => {
    const needed = { pdp: "product_id", cart: "variant_ids", post_purchase: "order_id" } as const;
    const field = needed[query.placement];
    if (query[field] === undefined) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: [field], message: `is required for placement=${query.placement}` });
    }
  });

export interface EndpointAnswer {
  status: number;
  /** JSON text. */
  body: string;
}

export const RECOMMENDATIONS_HEADERS: Record<string, string> = {
  "Content-Type": "application/json; charset=utf-8",
  ...STOREFRONT_HEADERS,
};

function error(status: number, body: ErrorBody): EndpointAnswer {
  return { status, body: JSON.stringify(body) };
}

/**
 * The anchor as the widget must send it back to /events, which takes numeric ids only: a CSV-only
 * product's key is stated as the id the widget asked with (a cart's such anchor, known by none of
 * its ids, as none).
 */
function storefrontAnchor(anchor: string | null, query: { placement: string; product_id?: string }): string | null {
  if (anchor === null || !isCsvOnlyKey(anchor)) return anchor;
  return query.placement === "pdp" ? (query.product_id ?? null) : null;
}

/** The whole endpoint: signature, validation, model, answer. Never throws for bad input. */
export async function answerRecommendations(params: URLSearchParams, now: Date = new Date()): Promise<EndpointAnswer> {
  const verified = verifyAppProxyParams(params, getEnv().apiSecret, now, customShopDomain());
  if (!verified.ok) return error(401, { error: verified.reason, message: verified.message });
  const parsed = recommendationsQuerySchema.safeParse(queryObject(params));
  if (!parsed.success) return error(400, invalidRequestBody(parsed.error.issues));
  const query = parsed.data;
  const shopId = verified.shop;
  let model: ServingModel;
  try {
    model = await getServingModel(shopId);
  } catch (failure) {
    if (failure instanceof UnknownShopError) return error(404, unknownShopBody(shopId));
    throw failure;
  }

  // A product or variant imported from a CSV file has no Shopify id; the demo shop's storefront
  // names it by its row (core/catalog-keys.ts storefrontIdOf), which the model knows by its key.
  const [csvProducts, csvVariants] = await Promise.all([
    query.product_id === undefined ? new Map<string, string>() : csvKeysOfStorefrontIds(shopId, "product", [query.product_id]),
    csvKeysOfStorefrontIds(shopId, "variant", query.variant_ids ?? []),
  ]);
  let context: RecommendationContext;
  if (query.placement === "pdp") {
    const productId = csvProducts.get(query.product_id as string) ?? (query.product_id as string);
    if (!model.cards.has(productId)) {
      return error(404, { error: "unknown_product", message: `This shop has no product ${productId}.` });
    }
    context = { placement: "pdp", productId };
  } else if (query.placement === "cart") {
    // Two sizes of one product are one anchor; repeats would also make new pool keys for one cart.
    const productIds = [...new Set((query.variant_ids ?? []).flatMap((id) => model.variantToProduct.get(csvVariants.get(id) ?? id) ?? []))];
    context = { placement: "cart", productIds };
  } else {
    // Anyone can call the proxy: an order is only described to the signed-in customer who placed it.
    const customerId = verified.loggedInCustomerId;
    const productIds = customerId ? await findCustomerOrderProductIds(shopId, query.order_id as string, customerId) : null;
    if (!productIds) {
      return error(404, { error: "unknown_order", message: `The signed-in customer has no order ${query.order_id} in this shop.` });
    }
    context = { placement: "post_purchase", productIds };
  }

  // The merchant's placement settings (admin > Recommendations) cap what any widget asks for, and
  // a placement turned off gets nothing, so the widget stays hidden.
  const limit = Math.min(query.limit, placementLimit(model.settings, query.placement));
  // Served from the context's pool of pre-drawn slates (recommendations.server.ts).
  const recommendations = limit === 0 ? "[]" : recommendJson(model, context, limit);
  const body =
    `{"placement":${JSON.stringify(query.placement)},"modelVersion":${JSON.stringify(model.snapshot.version)},` +
    `"anchor":${JSON.stringify(storefrontAnchor(feedbackAnchor(model, context), query))},"recommendations":${recommendations}}`;
  return { status: 200, body };
}

/** The endpoint on a plain Node server (server.ts, ahead of Remix; also what bench:api measures). */
export function handleRecommendationsHttp(req: IncomingMessage, res: ServerResponse): void {
  const url = req.url ?? "";
  const queryStart = url.indexOf("?");
  const params = new URLSearchParams(queryStart === -1 ? "" : url.slice(queryStart + 1));
  answerRecommendations(params).then(
    ({ status, body }) => {
      // Object.assign, not `{ ...headers, more }`: that spread takes a V8 slow path (see thompson-reranker.ts).
      res.writeHead(status, Object.assign({ "Content-Length": Buffer.byteLength(body) }, RECOMMENDATIONS_HEADERS));
      res.end(body);
    },
    (failure: unknown) => {
      console.error("GET /proxy/recommendations failed:", failure);
      const body = JSON.stringify({ error: "internal_error", message: "Recommendations are unavailable right now." });
      if (!res.headersSent) res.writeHead(500, { ...RECOMMENDATIONS_HEADERS, "Content-Length": Buffer.byteLength(body) });
      res.end(body);
    },
  );
}
