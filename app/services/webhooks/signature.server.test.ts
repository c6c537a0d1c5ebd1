import { describe, expect, it } from "vitest";
import { parseJsonKeepingLargeIntegers } from "./json";
import { signWebhookBody, verifyWebhookSignature } from "./signature.server";

describe("webhook signatures", () => {
  it("is base64 HMAC-SHA256 of the raw body (RFC 4231-style vector computed independently with openssl)", () => {
    expect(signWebhookBody("hello", "secret")).toBe("iKqz7ejTrflNJquQ07r9SiCDBww7zOnAFO4EpEOEfAs=");
  });

  it("accepts the right signature and rejects a changed body, a wrong secret, a truncated or missing header", () => {
    const body = '{"id":1}';
    const header = signWebhookBody(body, "s3cret");
    expect(verifyWebhookSignature(body, header, "s3cret")).toBe(true);
    expect(verifyWebhookSignature(new TextEncoder().encode(body), ` ${header} `, "s3cret")).toBe(true);
    expect(verifyWebhookSignature('{"id":2}', header, "s3cret")).toBe(false);
    expect(verifyWebhookSignature(body, header, "other")).toBe(false);
    expect(verifyWebhookSignature(body, header.slice(0, 20), "s3cret")).toBe(false);
    expect(verifyWebhookSignature(body, null, "s3cret")).toBe(false);
    expect(verifyWebhookSignature(body, "", "s3cret")).toBe(false);
  });

  it("rejects a valid signature with characters added (base64 decoding would skip them)", () => {
    const body = '{"id":1}';
    const header = signWebhookBody(body, "s3cret");
    for (const changed of [`${header}!`, `${header}*junk*`, `${header.slice(0, 10)}.${header.slice(10)}`, `${header.slice(0, -1)}`]) {
      expect(verifyWebhookSignature(body, changed, "s3cret")).toBe(false);
    }
  });
});

describe("parseJsonKeepingLargeIntegers", () => {
  it("keeps ids past 2^53 exactly, as strings, and leaves everything else as JSON.parse would", () => {
    const text = '{"id":788032119674292922,"small":632910392,"neg":-9007199254740993,"price":"30.00","f":12345678901234567.5,"e":1e300,"s":"788032119674292922 \\"9999999999999999999\\"","list":[9999999999999999999]}';
    expect(parseJsonKeepingLargeIntegers(text)).toEqual({
      id: "788032119674292922",
      small: 632910392,
      neg: "-9007199254740993",
      price: "30.00",
      f: Number("12345678901234567.5"),
      e: 1e300,
      s: '788032119674292922 "9999999999999999999"',
      list: ["9999999999999999999"],
    });
    expect(parseJsonKeepingLargeIntegers('{"max":9007199254740991}')).toEqual({ max: 9007199254740991 });
  });

  it("leaves the digits of fractions and exponents alone, however many there are", () => {
    const text = '{"rate":0.30000000000000004,"tiny":1.2345678901234567e-20,"big":2E+3000000000000000000,"neg":-0.12345678901234567890,"id":9999999999999999999}';
    expect(parseJsonKeepingLargeIntegers(text)).toEqual(JSON.parse(text.replace("9999999999999999999}", '"9999999999999999999"}')));
    expect(parseJsonKeepingLargeIntegers('[0.30000000000000004, 12345678901234567890]')).toEqual([0.30000000000000004, "12345678901234567890"]);
  });

  it("still rejects malformed JSON", () => {
    expect(() => parseJsonKeepingLargeIntegers('{"id":')).toThrow(SyntaxError);
  });
});
