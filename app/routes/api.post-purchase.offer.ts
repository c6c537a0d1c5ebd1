import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { initialPurchaseSchema, SURFACES, thankYouCartUrl, toWireOffer, type OfferResponseBody } from "~/core/post-purchase";
import { followsAnsweredCheckout } from "~/models/checkout-outcome.server";
import { recordOfferShown, reportedCheckoutKinds, shownCheckoutProduct } from "~/models/widget-event.server";
import { CHECKOUT_CORS_HEADERS, withCors } from "~/services/post-purchase/cors.server";
import { findPostPurchaseOffer } from "~/services/post-purchase/find-offer.server";
import { limitStorefrontWrites } from "~/services/storefront-rate-limit.server";
import { methodNotAllowed, readCheckoutCall, resolvePurchase } from "~/services/post-purchase/request.server";

/**
 * POST /api/post-purchase/offer: the one offer for a purchase, or `{ offer: null }`.
 *   Authorization: Bearer <post-purchase inputData.token | thank-you session token>
 *   { surface: "post_purchase" | "thank_you", referenceId, initialPurchase: { referenceId, lineItems } }
 * Answering with an offer records `offer_shown`: the extensions ask only to show it. A checkout
 * keeps the product it was shown while that product still qualifies (decision 0008, addendum),
 * a checkout that declined its offer is offered nothing again, and a thank-you page is offered
 * nothing when its buyer answered the post-purchase offer just before (accepted or declined).
 */
const bodySchema = z.object({
  surface: z.enum(SURFACES),
  referenceId: z.string().trim().min(1, "is required").max(200),
  initialPurchase: initialPurchaseSchema,
});

export function loader() {
  return methodNotAllowed();
}

export async function action({ request }: ActionFunctionArgs) {
  const call = await readCheckoutCall(request, bodySchema);
  if (call instanceof Response) return call;
  const { caller, body, now } = call;
  const purchase = resolvePurchase(caller, body);
  if (caller.surface === "thank_you") {
    await limitStorefrontWrites(request, caller.shopId, "thank_you", { headers: CHECKOUT_CORS_HEADERS, buyer: `session ${caller.session ?? "unknown"}` });
  }

  const noOffer = () => Response.json({ offer: null } satisfies OfferResponseBody, withCors());
  // An offer the buyer declined stays declined: a reload of the thank-you page does not bring it back.
  if ((await reportedCheckoutKinds(caller.shopId, caller.surface, body.referenceId, ["offer_declined"])).length > 0) return noOffer();
  // A reload or a second tab asks again for the same checkout: it gets the product it was shown, so
  // the buyer's answer from any tab names the product the event endpoint expects.
  const shownProductId = await shownCheckoutProduct(caller.shopId, caller.surface, body.referenceId);
  // A buyer who answered the post-purchase offer of this order is not asked again on its thank-you
  // page: declined means no, and accepted was the one offer. Only the page's first request, before
  // it showed anything, may recognise the checkout it follows (followsAnsweredCheckout says why).
  if (caller.surface === "thank_you" && (await followsAnsweredCheckout(caller.shopId, body.referenceId, purchase.lines, now, { mayTake: shownProductId === null }))) {
    return noOffer();
  }
  const found = await findPostPurchaseOffer({ shopId: caller.shopId, surface: caller.surface, purchase, now, shownProductId });
  if (!found) return noOffer();

  const { offer } = found;
  // No propensity is logged: the offer is the first of a draw that passes the rules, whose
  // probability is not the sampler's per-position estimate. A kept offer was not drawn now, so it
  // names no model; for the same product the row is left as its draw wrote it (recordOfferShown
  // rewrites a row only when the product changes).
  await recordOfferShown(
    caller.shopId,
    {
      kind: "offer_shown",
      placement: caller.surface,
      anchorProductId: purchase.lines[0]?.productId ?? null,
      productId: offer.productId,
      offerId: null,
      propensity: null,
      modelVersion: found.drawn ? found.modelVersion : null,
      referenceId: body.referenceId,
    },
    now,
  );
  const cartUrl = caller.surface === "thank_you" ? thankYouCartUrl(caller.shopId, offer.variantId, offer.productId) : null;
  return Response.json({ offer: toWireOffer(offer, { heading: found.heading, cartUrl }) } satisfies OfferResponseBody, withCors());
}
