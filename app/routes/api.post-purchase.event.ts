import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { EVENT_KINDS_BY_SURFACE, REPORTED_EVENT_KINDS, reportStands, SURFACES, type CheckoutOutcomeKind } from "~/core/post-purchase";
import { recordCheckoutOutcome } from "~/models/checkout-outcome.server";
import { recordCheckoutEvent, shownCheckoutProduct } from "~/models/widget-event.server";
import { CHECKOUT_CORS_HEADERS, withCors } from "~/services/post-purchase/cors.server";
import { limitStorefrontWrites } from "~/services/storefront-rate-limit.server";
import { assertTokenReference, methodNotAllowed, readCheckoutCall, signedPurchase } from "~/services/post-purchase/request.server";

/**
 * POST /api/post-purchase/event: what the buyer did with the offer, for the dashboard.
 *   Authorization: Bearer <post-purchase inputData.token | thank-you session token>
 *   { surface, kind: "offer_accepted" | "offer_declined" | "offer_accept_failed" | "click", referenceId, productId }
 * post_purchase reports offer_accepted (after Shopify applied the changeset), offer_accept_failed
 * (nothing was added) or offer_declined; thank_you reports click (followed the cart link) or
 * offer_declined. Each kind counts once per checkout (referenceId), and only for the product that
 * checkout was last offered on that surface (409 otherwise): a token is the buyer's, so it must not
 * be able to count any product it likes. A post-purchase offer is accepted or declined, not both:
 * the second answer is a 409, and so is a decline while a signed changeset may yet be applied,
 * unless the page reported first that nothing was added (core/post-purchase/outcome.ts).
 */
const bodySchema = z
  .object({
    surface: z.enum(SURFACES),
    kind: z.enum(REPORTED_EVENT_KINDS),
    referenceId: z.string().trim().min(1, "is required").max(200),
    productId: z.string().regex(/^\d{1,20}$/, "must be a numeric Shopify product id"),
  })
  .refine((body) => EVENT_KINDS_BY_SURFACE[body.surface].includes(body.kind), {
    path: ["kind"],
    message: "is not reported from this surface",
  });

function refusal(standing: CheckoutOutcomeKind): string {
  if (standing === "offer_signed") {
    return "This checkout's accept was signed and Shopify may yet add the item, so it cannot be declined unless the page reports that nothing was added.";
  }
  return `This checkout already reported ${standing} for its offer; an offer is accepted or declined, not both.`;
}

export function loader() {
  return methodNotAllowed();
}

export async function action({ request }: ActionFunctionArgs) {
  const call = await readCheckoutCall(request, bodySchema);
  if (call instanceof Response) return call;
  const { caller, body, now } = call;
  assertTokenReference(caller, body.referenceId);
  if (caller.surface === "thank_you") {
    await limitStorefrontWrites(request, caller.shopId, "thank_you", { headers: CHECKOUT_CORS_HEADERS, buyer: `session ${caller.session ?? "unknown"}` });
  }
  const shown = await shownCheckoutProduct(caller.shopId, caller.surface, body.referenceId);
  if (shown === null) {
    return Response.json({ error: "no_offer_shown", message: "No offer was shown for this checkout on this surface, so there is nothing to report." }, withCors({ status: 409 }));
  }
  if (shown !== body.productId) {
    return Response.json(
      { error: "not_the_offer_shown", message: `productId ${body.productId} is not the product this checkout was offered (${shown}).` },
      withCors({ status: 409 }),
    );
  }
  if (caller.surface === "post_purchase" && body.kind !== "click") {
    // The purchase is kept with the answer, so the thank-you page that follows knows it answered.
    const standing = await recordCheckoutOutcome(caller.shopId, caller.surface, body.referenceId, body.kind, now, signedPurchase(caller)?.lines ?? null);
    if (!reportStands(body.kind, standing)) {
      return Response.json({ error: "outcome_already_reported", message: refusal(standing) }, withCors({ status: 409 }));
    }
  }
  const recorded = await recordCheckoutEvent(
    caller.shopId,
    { kind: body.kind, placement: caller.surface, anchorProductId: null, productId: body.productId, offerId: null, propensity: null, modelVersion: null, referenceId: body.referenceId },
    now,
  );
  // A repeat (a retry, a second tap) is accepted and not counted again.
  return Response.json({ recorded: recorded ? 1 : 0 }, withCors({ status: 202 }));
}
