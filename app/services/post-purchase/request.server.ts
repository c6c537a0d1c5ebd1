import { z } from "zod";
import { initialPurchaseSchema, purchaseFromInitialPurchase, SURFACES, type Purchase, type Surface } from "~/core/post-purchase";
import { jsonError, parseOrThrow } from "~/services/http.server";
import type { CheckoutCaller } from "./authenticate.server";
import { withCors } from "./cors.server";

/** Request reading shared by the /api/post-purchase/* endpoints. */
export const MAX_BODY_BYTES = 64 * 1024;

export async function readJsonBody(request: Request): Promise<unknown> {
  const declared = Number(request.headers.get("Content-Length") ?? "0");
  const tooLarge = () => jsonError(413, "payload_too_large", `Bodies are limited to ${MAX_BODY_BYTES} bytes.`, withCors());
  if (declared > MAX_BODY_BYTES) throw tooLarge();
  const bytes = await request.arrayBuffer();
  if (bytes.byteLength > MAX_BODY_BYTES) throw tooLarge();
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw jsonError(400, "invalid_json", "The body is not JSON.", withCors());
  }
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
  if (caller.referenceId !== null && caller.referenceId !== body.referenceId) throw referenceMismatch();
  if (caller.signedInitialPurchase !== null) {
    const signed = initialPurchaseSchema.safeParse(caller.signedInitialPurchase);
    if (signed.success) return purchaseFromInitialPurchase(signed.data);
  }
  return purchaseFromInitialPurchase(body.initialPurchase);
}
