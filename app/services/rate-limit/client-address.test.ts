import { describe, expect, it } from "vitest";
import { clientAddress } from "./client-address";

const forwardedFor = (value?: string) => new Headers(value === undefined ? {} : { "X-Forwarded-For": value });

describe("the buyer's address behind Shopify's app proxy", () => {
  it("is the entry Shopify's proxy added, whatever the buyer wrote before it", () => {
    expect(clientAddress(forwardedFor("203.0.113.9"), 0)).toBe("203.0.113.9");
    expect(clientAddress(forwardedFor("1.2.3.4, 6.6.6.6 ,203.0.113.9"), 0)).toBe("203.0.113.9");
    expect(clientAddress(forwardedFor("2001:DB8::1"), 0)).toBe("2001:db8::1");
  });

  it("skips the entries the app's own reverse proxies added", () => {
    expect(clientAddress(forwardedFor("1.2.3.4, 203.0.113.9, 10.0.0.2"), 1)).toBe("203.0.113.9");
  });

  it("is unknown without the header, with too few entries, or with something too long to be an address", () => {
    expect(clientAddress(forwardedFor(), 0)).toBeNull();
    expect(clientAddress(forwardedFor(" , "), 0)).toBeNull();
    expect(clientAddress(forwardedFor("203.0.113.9"), 1)).toBeNull();
    expect(clientAddress(forwardedFor("x".repeat(65)), 0)).toBeNull();
  });
});
