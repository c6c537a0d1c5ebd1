import { z } from "zod";
import { initialPurchaseSchema, purchaseFromInitialPurchase, SURFACES, type Purchase, type Surface } from "~/core/post-purchase";
import { jsonError, parseOrThrow, readJsonBody } from "~/services/http.server";
import { authenticateCheckoutCaller, type CheckoutCaller } from "./authenticate.server";
import { preflightResponse, withCors } from "./cors.server";

/** Request reading shared by the /api/post-purchase/* endpoints. */
export const MAX_BODY_BYTES = 64 * 1024;

function tooLarge(): Response {
  return jsonError(413, "payload_too_large", `Bodies are limited to ${MAX_BODY_BYTES} bytes.`, withCors());
}

const surfaceSchema = z.object({
  surface: z.enum(SURFACES, { message: "must be post_purchase or thank_you" }).default("post_purchase"),
});

/** Which surface the body says it comes from: it decides which token kind is expected. */
export function surfaceOf(body: unknown): Surface {
  return parseOrThrow(surfaceSchema, body ?? {}, withCors()).surface;
}

export function methodNotAllowed(): Response {
  return jsonError(405, "method_not_allowed", "Use POST.", withCors({ headers: { Allow: "POST, OPTIONS" } }));
}

function referenceMismatch(): Response {
  return jsonError(400, "reference_mismatch", "The reference id does not match the purchase the token was issued for.", withCors());
}

/** Throws the 400 to send when the body names a purchase other than the one the token was issued for. */
export function assertTokenReference(caller: CheckoutCaller, referenceId: string): void {
  if (caller.referenceId !== null && caller.referenceId !== referenceId) throw referenceMismatch();
}

/**
 * The purchase to work on. For the post-purchase page the token's own copy of the purchase wins
 * when it carries one (it is signed); otherwise the body's, whose reference id must be the one the
 * token was issued for.
 */
export function resolvePurchase(
  caller: CheckoutCaller,
  body: { referenceId: string; initialPurchase: z.output<typeof initialPurchaseSchema> },
): Purchase {
  if (body.initialPurchase.referenceId !== body.referenceId) throw referenceMismatch();
  assertTokenReference(caller, body.referenceId);
  // The post-purchase page's token carries the purchase Shopify signed: that, never the body, is
  // what the price-share rule and the "already bought" check read. The thank-you page's token
  // carries none (and that page promises no discount), so its body is used.
  if (caller.surface === "post_purchase") {
    const signed = signedPurchase(caller);
    if (!signed) {
      throw jsonError(401, "unreadable_purchase", "The token carries no initial purchase Upshelf can read, so nothing is offered.", withCors());
    }
    return signed;
  }
  return purchaseFromInitialPurchase(body.initialPurchase);
}

/** The purchase signed inside a post-purchase token, or null when it carries none readable (or is a thank-you token). */
export function signedPurchase(caller: CheckoutCaller): Purchase | null {
  if (caller.surface !== "post_purchase") return null;
  const signed = initialPurchaseSchema.safeParse(caller.signedInitialPurchase);
  return signed.success ? purchaseFromInitialPurchase(signed.data) : null;
}

export interface CheckoutCall<Body> {
  caller: CheckoutCaller;
  body: Body;
  now: Date;
}

/**
 * How every /api/post-purchase/* action starts: answer the CORS preflight, accept POST only, read
 * the JSON body, verify the token for the surface (the body's, unless the endpoint serves only
 * one), then validate the body. Returns the Response to send for preflight and wrong methods;
 * throws it for a bad token or body.
 */
export async function readCheckoutCall<Schema extends z.ZodTypeAny>(
  request: Request,
  schema: Schema,
  options: { surface?: Surface } = {},
): Promise<CheckoutCall<z.output<Schema>> | Response> {
  if (request.method === "OPTIONS") return preflightResponse();
  if (request.method !== "POST") return methodNotAllowed();
  const now = new Date();
  const raw = await readJsonBody(request, { maxBytes: MAX_BODY_BYTES, tooLarge, init: withCors() });
  const caller = await authenticateCheckoutCaller(request, options.surface ?? surfaceOf(raw), now);
  const body = parseOrThrow(schema, raw, withCors());
  return { caller, body, now };
}
