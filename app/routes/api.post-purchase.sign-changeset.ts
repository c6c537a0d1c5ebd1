import { randomUUID } from "node:crypto";
import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { changesForOffer, initialPurchaseSchema, type SignChangesetResponseBody } from "~/core/post-purchase";
import { recordPostPurchaseAcceptance } from "~/models/post-purchase-acceptance.server";
import { jsonError } from "~/services/http.server";
import { appCredentials } from "~/services/post-purchase/credentials.server";
import { withCors } from "~/services/post-purchase/cors.server";
import { findPostPurchaseOffer } from "~/services/post-purchase/find-offer.server";
import { signJwtHs256 } from "~/services/post-purchase/jwt.server";
import { methodNotAllowed, readCheckoutCall, resolvePurchase } from "~/services/post-purchase/request.server";

/**
 * POST /api/post-purchase/sign-changeset: the buyer accepted; sign the changeset Shopify applies.
 *   Authorization: Bearer <post-purchase inputData.token>
 *   { referenceId, variantId, initialPurchase }  ->  { token }
 * The variant the buyer accepted must still be one the page could have offered for this purchase
 * (in stock, allowed by the merchant's rules) and, when the page says which price it showed,
 * still cost that: the changes and the discount come from the server's own pricing, never from
 * the request. What was signed is recorded, so the line it adds to the order is credited to Upshelf
 * when the order's webhook shows it. Claims follow Shopify's
 * post-purchase JWT specification: iss (API key), jti (UUID), iat (seconds), sub (reference id),
 * changes.
 */
const bodySchema = z.object({
  referenceId: z.string().trim().min(1, "is required").max(200),
  variantId: z.string().regex(/^\d{1,20}$/, "must be a numeric Shopify variant id"),
  /** The price the page showed, minor units: a changed price or discount is refused, not signed. */
  price: z.number().int().nonnegative().optional(),
  initialPurchase: initialPurchaseSchema,
});

export function loader() {
  return methodNotAllowed();
}

export async function action({ request }: ActionFunctionArgs) {
  const call = await readCheckoutCall(request, bodySchema, { surface: "post_purchase" });
  if (call instanceof Response) return call;
  const { caller, body, now } = call;
  const purchase = resolvePurchase(caller, body);

  const found = await findPostPurchaseOffer({ shopId: caller.shopId, surface: "post_purchase", purchase, now, chosenVariantId: body.variantId });
  if (!found) return jsonError(409, "offer_unavailable", "This item is no longer offered for this purchase.", withCors());
  if (body.price !== undefined && body.price !== found.offer.price) {
    return jsonError(409, "price_changed", "This item's price changed since the page was shown, so nothing was added.", withCors());
  }
  const { apiKey, apiSecret } = appCredentials();
  const token = signJwtHs256(
    {
      iss: apiKey,
      jti: randomUUID(),
      iat: Math.floor(now.getTime() / 1000),
      sub: body.referenceId,
      changes: changesForOffer(found.offer),
    },
    apiSecret,
  );
  await recordPostPurchaseAcceptance(caller.shopId, {
    referenceId: body.referenceId,
    variantId: found.offer.variantId,
    purchaseLines: purchase.lines,
    signedAt: now,
  });
  return Response.json({ token } satisfies SignChangesetResponseBody, withCors());
}
