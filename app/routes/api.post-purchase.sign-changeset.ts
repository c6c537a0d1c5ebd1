import { randomUUID } from "node:crypto";
import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { changesForOffer, initialPurchaseSchema, reportStands, type SignChangesetResponseBody } from "~/core/post-purchase";
import { recordCheckoutOutcome } from "~/models/checkout-outcome.server";
import { recordPostPurchaseAcceptance } from "~/models/post-purchase-acceptance.server";
import { shownCheckoutProduct } from "~/models/widget-event.server";
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
 * The variant the buyer accepted must be of the product this purchase was shown (its offer_shown
 * row), not declined nor already failed to add (signing records the checkout's one answer as
 * signed: core/post-purchase/outcome.ts), still one the page
 * could offer (in stock, allowed by the merchant's rules) and still at the price the page showed: the changes and the discount come from the
 * server's own pricing, never from the request. What was signed is recorded with its token, so
 * the line it adds to the order is credited to Upshelf when the order's webhook shows it, and a
 * retried tap gets the same token (Shopify applies one token once). Claims follow Shopify's
 * post-purchase JWT specification: iss (API key), jti (UUID), iat (seconds), sub (reference id),
 * changes.
 */
const bodySchema = z.object({
  referenceId: z.string().trim().min(1, "is required").max(200),
  variantId: z.string().regex(/^\d{1,20}$/, "must be a numeric Shopify variant id"),
  /** The price the page showed, minor units: a changed price or discount is refused, not signed. */
  price: z.number().int().nonnegative(),
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

  const shown = await shownCheckoutProduct(caller.shopId, "post_purchase", body.referenceId);
  if (shown === null) return jsonError(409, "no_offer_shown", "No offer was shown for this purchase, so there is nothing to accept.", withCors());
  const found = await findPostPurchaseOffer({ shopId: caller.shopId, surface: "post_purchase", purchase, now, chosenVariantId: body.variantId });
  if (!found) return jsonError(409, "offer_unavailable", "This item is no longer offered for this purchase.", withCors());
  if (found.offer.productId !== shown) {
    return jsonError(409, "not_the_offer_shown", "This item is not the one this purchase was offered, so nothing was added.", withCors());
  }
  if (body.price !== found.offer.price) {
    return jsonError(409, "price_changed", "This item's price changed since the page was shown, so nothing was added.", withCors());
  }
  // Signing is the buyer's answer: it takes the checkout's one outcome slot, so a decline sent at
  // the same moment from another tab either lands first (nothing is signed) or is refused.
  // A retried tap finds its own answer there and gets its first token back below.
  const answer = await recordCheckoutOutcome(caller.shopId, "post_purchase", body.referenceId, "sign", now, purchase.lines);
  if (answer === "offer_declined") return jsonError(409, "offer_declined", "This offer was declined, so nothing was added.", withCors());
  if (!reportStands("sign", answer)) {
    return jsonError(409, "offer_accept_failed", "Adding this item to the order already failed, so nothing was added.", withCors());
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
  const signed = await recordPostPurchaseAcceptance(caller.shopId, {
    referenceId: body.referenceId,
    variantId: found.offer.variantId,
    purchaseLines: purchase.lines,
    signedAt: now,
    signedToken: token,
  });
  return Response.json({ token: signed } satisfies SignChangesetResponseBody, withCors());
}
