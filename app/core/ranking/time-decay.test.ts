import { describe, expect, it } from "vitest";
import { decayWeight, growthSinceReference } from "./time-decay";

const DAY = 86_400_000;

describe("decayWeight", () => {
  it("halves every half-life", () => {
    expect(decayWeight(0, 30)).toBe(1);
    expect(decayWeight(30 * DAY, 30)).toBeCloseTo(0.5, 12);
    expect(decayWeight(60 * DAY, 30)).toBeCloseTo(0.25, 12);
  });

  it("does not decay with an infinite half-life, and treats future orders as new", () => {
    expect(decayWeight(1_000 * DAY, Number.POSITIVE_INFINITY)).toBe(1);
    expect(decayWeight(-5 * DAY, 30)).toBe(1);
  });

  it("agrees with the stored growth factors: growth(t) / growth(now) = decay(now - t)", () => {
    const reference = 1_000 * DAY;
    const t = reference + 10 * DAY;
    const now = reference + 55 * DAY;
    const ratio = growthSinceReference(t, reference, 30) / growthSinceReference(now, reference, 30);
    expect(ratio).toBeCloseTo(decayWeight(now - t, 30), 12);
  });
});
