import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * HS256 JSON Web Tokens, the only kind Shopify's checkout surfaces exchange with an app: the
 * post-purchase input token, the checkout UI extension session token and the changeset token we
 * sign back. Written on node:crypto (no dependency) and deliberately narrow: one algorithm, checked
 * before the signature, so a token cannot pick a weaker one ("none") for itself.
 */
export type JwtErrorCode =
  | "malformed_token"
  | "unsupported_algorithm"
  | "bad_signature"
  | "token_expired"
  | "token_not_yet_valid"
  | "token_issued_in_future"
  | "token_too_old"
  | "wrong_audience"
  | "wrong_issuer"
  | "missing_claim";

export class JwtError extends Error {
  override name = "JwtError";
  constructor(
    readonly code: JwtErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export type JwtClaims = Record<string, unknown>;

export interface VerifyJwtOptions {
  readonly secret: string;
  readonly now: Date;
  /** Clock skew tolerated on exp, nbf and iat, in seconds. */
  readonly leewaySeconds?: number;
  /** `aud` must equal (or, as an array, contain) this value. */
  readonly audience?: string;
  /** `iss` must equal this value, or satisfy this test. */
  readonly issuer?: string | ((issuer: string) => boolean);
  /** Reject tokens whose `iat` is older than this (for tokens that carry no `exp`). */
  readonly maxAgeSeconds?: number;
  /** Claims that must be present. */
  readonly required?: readonly string[];
}

export const DEFAULT_LEEWAY_SECONDS = 10;

const BASE64URL = /^[A-Za-z0-9_-]*$/;

function encodeSegment(value: unknown): string {
  return Buffer.from(JSON.stringify(value), "utf8").toString("base64url");
}

function signature(input: string, secret: string): Buffer {
  return createHmac("sha256", secret).update(input, "utf8").digest();
}

function assertSecret(secret: string): void {
  if (typeof secret !== "string" || secret.length === 0) throw new Error("A JWT secret must be a non-empty string.");
}

/** Signs claims as an HS256 JWT (header {"alg":"HS256","typ":"JWT"}). */
export function signJwtHs256(claims: JwtClaims, secret: string): string {
  assertSecret(secret);
  const input = `${encodeSegment({ alg: "HS256", typ: "JWT" })}.${encodeSegment(claims)}`;
  return `${input}.${signature(input, secret).toString("base64url")}`;
}

function decodeJsonSegment(segment: string, what: string): JwtClaims {
  if (segment === "" || !BASE64URL.test(segment)) throw new JwtError("malformed_token", `The token's ${what} is not base64url.`);
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(segment, "base64url").toString("utf8"));
  } catch {
    throw new JwtError("malformed_token", `The token's ${what} is not JSON.`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new JwtError("malformed_token", `The token's ${what} is not a JSON object.`);
  }
  return value as JwtClaims;
}

function numericClaim(claims: JwtClaims, name: string): number | undefined {
  const value = claims[name];
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new JwtError("malformed_token", `The token's "${name}" claim is not a number of seconds.`);
  }
  return value;
}

/**
 * Verifies an HS256 token and returns its claims, or throws a JwtError whose code says what is
 * wrong. The header is checked first (alg must be HS256), then the signature (timing-safe), then
 * the time claims with a small leeway, then audience and issuer.
 */
export function verifyJwtHs256(token: string, options: VerifyJwtOptions): JwtClaims {
  assertSecret(options.secret);
  if (typeof token !== "string" || token.length === 0) throw new JwtError("malformed_token", "No token was given.");
  const parts = token.split(".");
  if (parts.length !== 3) throw new JwtError("malformed_token", "A JWT has three dot-separated parts.");
  const [headerSegment = "", payloadSegment = "", signatureSegment = ""] = parts;

  const header = decodeJsonSegment(headerSegment, "header");
  if (header.alg !== "HS256") {
    throw new JwtError("unsupported_algorithm", `Only HS256 tokens are accepted; this one says ${JSON.stringify(header.alg ?? null)}.`);
  }
  if (payloadSegment === "" || !BASE64URL.test(payloadSegment)) throw new JwtError("malformed_token", "The token's payload is not base64url.");
  if (!BASE64URL.test(signatureSegment)) throw new JwtError("malformed_token", "The token's signature is not base64url.");
  const expected = signature(`${headerSegment}.${payloadSegment}`, options.secret);
  const given = Buffer.from(signatureSegment, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new JwtError("bad_signature", "The token's signature does not match the app secret.");
  }
  const claims = decodeJsonSegment(payloadSegment, "payload");

  for (const name of options.required ?? []) {
    if (claims[name] === undefined || claims[name] === null || claims[name] === "") {
      throw new JwtError("missing_claim", `The token has no "${name}" claim.`);
    }
  }

  const now = Math.floor(options.now.getTime() / 1000);
  const leeway = options.leewaySeconds ?? DEFAULT_LEEWAY_SECONDS;
  const exp = numericClaim(claims, "exp");
  const nbf = numericClaim(claims, "nbf");
  const iat = numericClaim(claims, "iat");
  if (exp !== undefined && now > exp + leeway) throw new JwtError("token_expired", "The token has expired.");
  if (nbf !== undefined && now + leeway < nbf) throw new JwtError("token_not_yet_valid", "The token is not valid yet.");
  if (iat !== undefined && now + leeway < iat) throw new JwtError("token_issued_in_future", "The token claims to be issued in the future.");
  if (options.maxAgeSeconds !== undefined) {
    if (iat === undefined) throw new JwtError("missing_claim", 'The token has no "iat" claim.');
    if (now - iat > options.maxAgeSeconds + leeway) throw new JwtError("token_too_old", "The token is too old to be accepted.");
  }

  if (options.audience !== undefined) {
    const aud = claims.aud;
    const matches = Array.isArray(aud) ? aud.includes(options.audience) : aud === options.audience;
    if (!matches) throw new JwtError("wrong_audience", "The token was issued for another app.");
  }
  if (options.issuer !== undefined) {
    const iss = claims.iss;
    const matches =
      typeof iss === "string" && (typeof options.issuer === "string" ? iss === options.issuer : options.issuer(iss));
    if (!matches) throw new JwtError("wrong_issuer", "The token was not issued by who this endpoint trusts.");
  }
  return claims;
}
