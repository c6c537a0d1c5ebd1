import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { JwtError, signJwtHs256, verifyJwtHs256, type JwtErrorCode } from "./jwt.server";

const secret = "shpss_test_secret";
const now = new Date("2026-03-01T12:00:00Z");
const t = Math.floor(now.getTime() / 1000);

function codeOf(run: () => unknown): JwtErrorCode | "no error" {
  try {
    run();
    return "no error";
  } catch (error) {
    if (error instanceof JwtError) return error.code;
    throw error;
  }
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

describe("HS256 JWTs", () => {
  it("GIVEN a token signed with the secret WHEN verified THEN its claims come back", () => {
    const token = signJwtHs256({ iss: "shopify", sub: "ref-1", iat: t }, secret);
    expect(JSON.parse(Buffer.from(token.split(".")[0] ?? "", "base64url").toString())).toEqual({ alg: "HS256", typ: "JWT" });
    expect(verifyJwtHs256(token, { secret, now, issuer: "shopify" })).toEqual({ iss: "shopify", sub: "ref-1", iat: t });
  });

  it("agrees with an independently computed HMAC-SHA256 signature", () => {
    const input = `${b64({ alg: "HS256", typ: "JWT" })}.${b64({ a: 1 })}`;
    const token = `${input}.${createHmac("sha256", secret).update(input).digest("base64url")}`;
    expect(signJwtHs256({ a: 1 }, secret)).toBe(token);
    expect(verifyJwtHs256(token, { secret, now })).toEqual({ a: 1 });
  });

  it("rejects a token signed with another secret, or with a tampered payload", () => {
    const token = signJwtHs256({ sub: "a" }, "another-secret");
    expect(codeOf(() => verifyJwtHs256(token, { secret, now }))).toBe("bad_signature");
    const [header, , sig] = signJwtHs256({ sub: "a" }, secret).split(".");
    expect(codeOf(() => verifyJwtHs256(`${header}.${b64({ sub: "b" })}.${sig}`, { secret, now }))).toBe("bad_signature");
  });

  it("refuses alg none and any other algorithm before looking at the signature", () => {
    expect(codeOf(() => verifyJwtHs256(`${b64({ alg: "none" })}.${b64({ sub: "a" })}.`, { secret, now }))).toBe("unsupported_algorithm");
    expect(codeOf(() => verifyJwtHs256(`${b64({ alg: "HS512" })}.${b64({ sub: "a" })}.abc`, { secret, now }))).toBe("unsupported_algorithm");
    expect(codeOf(() => verifyJwtHs256(`${b64({ typ: "JWT" })}.${b64({ sub: "a" })}.abc`, { secret, now }))).toBe("unsupported_algorithm");
  });

  it("calls malformed tokens malformed", () => {
    for (const token of ["", "abc", "a.b", "a.b.c.d", `${b64({ alg: "HS256" })}.not json!.x`, `${b64([1])}.${b64({})}.x`, "e30.bm90IGpzb24.x"]) {
      expect(codeOf(() => verifyJwtHs256(token, { secret, now })), token).toBe(token === "e30.bm90IGpzb24.x" ? "unsupported_algorithm" : "malformed_token");
    }
    const notObject = signJwtHs256({ exp: "tomorrow" }, secret);
    expect(codeOf(() => verifyJwtHs256(notObject, { secret, now }))).toBe("malformed_token");
  });

  it("checks exp, nbf and iat with a small leeway", () => {
    const at = (claims: Record<string, unknown>) => codeOf(() => verifyJwtHs256(signJwtHs256(claims, secret), { secret, now, leewaySeconds: 10 }));
    expect(at({ exp: t - 11 })).toBe("token_expired");
    expect(at({ exp: t - 10 })).toBe("no error");
    expect(at({ nbf: t + 11 })).toBe("token_not_yet_valid");
    expect(at({ nbf: t + 10 })).toBe("no error");
    expect(at({ iat: t + 11 })).toBe("token_issued_in_future");
  });

  it("bounds the age of tokens that carry no exp by their iat", () => {
    const verify = (claims: Record<string, unknown>) =>
      codeOf(() => verifyJwtHs256(signJwtHs256(claims, secret), { secret, now, maxAgeSeconds: 3600, leewaySeconds: 0 }));
    expect(verify({ iat: t - 3600 })).toBe("no error");
    expect(verify({ iat: t - 3601 })).toBe("token_too_old");
    expect(verify({})).toBe("missing_claim");
  });

  it("checks audience (string or list), issuer and required claims", () => {
    const token = signJwtHs256({ aud: ["x", "client-1"], iss: "https://a.myshopify.com/admin" }, secret);
    expect(codeOf(() => verifyJwtHs256(token, { secret, now, audience: "client-1" }))).toBe("no error");
    expect(codeOf(() => verifyJwtHs256(token, { secret, now, audience: "client-2" }))).toBe("wrong_audience");
    expect(codeOf(() => verifyJwtHs256(token, { secret, now, issuer: "shopify" }))).toBe("wrong_issuer");
    expect(codeOf(() => verifyJwtHs256(token, { secret, now, issuer: (iss) => iss.startsWith("https://a.") }))).toBe("no error");
    expect(codeOf(() => verifyJwtHs256(token, { secret, now, required: ["sub"] }))).toBe("missing_claim");
  });
});
