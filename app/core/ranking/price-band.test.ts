import { describe, expect, it } from "vitest";
import { priceBand } from "./price-band";

describe("priceBand", () => {
  it("groups prices within a factor of 1.5 and separates prices three times apart", () => {
    expect(priceBand(450)).toBe(priceBand(600));
    expect(priceBand(1350)).toBeGreaterThan(priceBand(450) ?? Infinity);
    expect(priceBand(undefined)).toBeUndefined();
    expect(priceBand(0)).toBeUndefined();
  });
});
