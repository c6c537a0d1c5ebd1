import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { authenticateAppProxy, methodNotAllowed, STOREFRONT_HEADERS } from "~/services/app-proxy.server";
import { jsonError, parseOrThrow, queryObject } from "~/services/http.server";
import { describeProductOffers, refusedCart } from "~/services/offer-pricing.server";
import { MAX_LINE_QUANTITY } from "./proxy.cart.price";

/** Cart lines a request may name: the cart travels in the URL (the widget sends at most this many). */
const MAX_OFFERS_CART_LINES = 100;

// `<variant id>:<quantity>`, and `:p` after a line bought on a selling plan (a subscription). The
// mark is new: a theme may still serve the script from before it, whose lines are all taken as
// bought once, as they were then (that script swaps a plan line too, and its Undo puts it back on
// its plan).
const cartLine = /^(\d{1,20}):(\d{1,5})(:p)?$/;
const cartSchema = z
  .string()
  .transform((text, context) => {
    const lines = [];
    for (const entry of text ? text.split(",") : []) {
      const match = cartLine.exec(entry);
      const quantity = Number(match?.[2]);
      if (!match || quantity < 1 || quantity > MAX_LINE_QUANTITY) {
        context.addIssue({
          code: "custom",
          message: `"${entry.slice(0, 40)}" is not <variant id>:<quantity from 1 to ${MAX_LINE_QUANTITY}>, with :p after a line on a selling plan`,
        });
        return z.NEVER;
      }
      lines.push({ variantId: match[1]!, quantity, ...(match[3] ? { sellingPlan: true } : {}) });
    }
    if (lines.length > MAX_OFFERS_CART_LINES) {
      context.addIssue({ code: "custom", message: `must have at most ${MAX_OFFERS_CART_LINES} lines` });
      return z.NEVER;
    }
    return lines;
  })
  .optional();

/**
 * GET /apps/upshelf/offers?product_id=123[&variant_id=456][&cart=789:2,790:1:p]: the live offers
 * that concern a product (quantity breaks, bundles it belongs to, the next upgrade step, the
 * shop's spend tiers), priced from the catalog exactly as checkout will price them with the
 * buyer's cart (`cart`: variant id and quantity per line, `:p` marking a line bought on a selling
 * plan, which the upgrade never offers to swap; none or empty: an empty cart). Quantity
 * breaks and the upgrade are priced for the variant the buyer has selected (`variant_id`, one of
 * the product's), else its first. The English `message` and `saving_label`s state the saving the
 * engine applies there (an amount off capped at a cheaper item's or set's price names what it
 * takes), in the engine's words with the currency's symbol.
 */
const querySchema = z.object({
  product_id: z.string({ required_error: "is required" }).regex(/^\d{1,20}$/, "must be a numeric Shopify product id"),
  variant_id: z.string().regex(/^\d{1,20}$/, "must be a numeric Shopify variant id").optional(),
  cart: cartSchema,
});

export async function loader({ request }: LoaderFunctionArgs) {
  const { shopId } = await authenticateAppProxy(request);
  const query = parseOrThrow(querySchema, queryObject(new URL(request.url).searchParams), { headers: STOREFRONT_HEADERS });
  let offers;
  try {
    offers = await describeProductOffers(shopId, query.product_id, {
      ...(query.variant_id ? { variantId: query.variant_id } : {}),
      ...(query.cart ? { cart: query.cart } : {}),
    });
  } catch (failure) {
    // The buyer's cart is priced too (a preview beside it), so it can be refused as at /cart/price.
    const refused = refusedCart(failure);
    if (refused) return refused;
    throw failure;
  }
  if (!offers) {
    return jsonError(404, "unknown_product", `This shop has no product ${query.product_id}.`, { headers: STOREFRONT_HEADERS });
  }
  return Response.json(offers, { headers: STOREFRONT_HEADERS });
}

export function action() {
  return methodNotAllowed("GET", "Ask for a product's offers with GET.");
}
