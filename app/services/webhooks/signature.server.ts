import { createHmac, timingSafeEqual } from "node:crypto";

/** 32 bytes in padded base64, as Shopify sends an HMAC-SHA256. */
const SIGNATURE_BASE64 = /^[A-Za-z0-9+/]{43}=$/;

/** base64(HMAC-SHA256(secret, raw body)): what Shopify sends in X-Shopify-Hmac-Sha256. */
export function signWebhookBody(body: Uint8Array | string, secret: string): string {
  return createHmac("sha256", secret).update(body).digest("base64");
}

/**
 * Checks a webhook's signature over the exact bytes received (re-serialised JSON would not
 * match). The comparison takes the same time wherever the first differing byte is.
 */
export function verifyWebhookSignature(body: Uint8Array | string, header: string | null, secret: string): boolean {
  // Base64 decoding skips characters outside the alphabet, so the form is checked first: a valid
  // signature with anything added must not pass.
  if (!header || !SIGNATURE_BASE64.test(header.trim())) return false;
  const expected = Buffer.from(signWebhookBody(body, secret), "base64");
  const given = Buffer.from(header.trim(), "base64");
  // A length mismatch cannot match; timingSafeEqual requires equal lengths.
  if (given.length !== expected.length) return false;
  return timingSafeEqual(given, expected);
}
