import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { authenticateAppProxy, methodNotAllowed, STOREFRONT_HEADERS, unknownShop } from "~/services/app-proxy.server";
import { jsonError, numericIdInput, parseOrThrow, readJsonBody } from "~/services/http.server";
import { loadShopPricing, priceStorefrontCart, refusedCart } from "~/services/offer-pricing.server";

/**
 * POST /apps/upshelf/cart/price: the cart as /cart.js reports it in, the discounts checkout will
 * give out (per line and per offer), with next-tier progress. Prices come from the catalog,
 * never from the request.
 */
export const MAX_CART_BODY_BYTES = 64 * 1024;
export const MAX_CART_LINES = 500;
export const MAX_LINE_QUANTITY = 10_000;

// /cart.js reports variant ids as numbers; the contract sends strings. Both are accepted.
const variantId = numericIdInput("must be a numeric Shopify variant id");

const lineSchema = z.object({
  variant_id: variantId,
  quantity: z
    .number({ required_error: "is required", invalid_type_error: "must be a whole number" })
    .int("must be a whole number")
    .min(1, "must be at least 1")
    .max(MAX_LINE_QUANTITY, `must be at most ${MAX_LINE_QUANTITY}`),
});

const bodySchema = z.object({
  lines: z
    .array(lineSchema, { required_error: "is required", invalid_type_error: "must be a list of cart lines" })
    .max(MAX_CART_LINES, `must have at most ${MAX_CART_LINES} lines`),
  currency: z.string().regex(/^[A-Z]{3}$/, "must be an ISO 4217 currency code").optional(),
});

function badBody(error: string, message: string) {
  return jsonError(400, error, message, { headers: STOREFRONT_HEADERS });
}

export async function loader() {
  return methodNotAllowed("POST", "Send the cart with POST.");
}

export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== "POST") {
    return methodNotAllowed("POST", "Send the cart with POST.");
  }
  const { shopId } = await authenticateAppProxy(request);
  const json = await readJsonBody(request, {
    maxBytes: MAX_CART_BODY_BYTES,
    // 400, not 413: the contract answers every unusable cart with 400.
    tooLarge: () => badBody("body_too_large", `The cart is limited to ${MAX_CART_BODY_BYTES} bytes of JSON.`),
    init: { headers: STOREFRONT_HEADERS },
  });
  const body = parseOrThrow(bodySchema, json, { headers: STOREFRONT_HEADERS });

  const pricing = await loadShopPricing(shopId);
  if (!pricing) return unknownShop(shopId);
  if (body.currency !== undefined && body.currency !== pricing.currency) {
    // Catalog prices are in the shop currency; a converted guess could differ from checkout.
    return jsonError(
      400,
      "unsupported_currency",
      `Offers are priced in ${pricing.currency}; this cart is in ${body.currency}.`,
      { headers: STOREFRONT_HEADERS },
      { currency: [`must be ${pricing.currency}, the shop currency`] },
    );
  }
  try {
    const priced = await priceStorefrontCart(
      pricing,
      body.lines.map((line) => ({ variantId: line.variant_id, quantity: line.quantity })),
    );
    return Response.json(priced, { headers: STOREFRONT_HEADERS });
  } catch (failure) {
    const refused = refusedCart(failure);
    if (refused) return refused;
    throw failure;
  }
}
