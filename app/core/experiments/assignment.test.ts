import { describe, expect, it } from "vitest";
import { mulberry32 } from "../ranking/random";
import { assignmentBucket, groupFor } from "./assignment";

const randomKeys = (count: number, seed: number) => {
  const rng = mulberry32(seed);
  return Array.from({ length: count }, () => Math.floor(rng() * 2 ** 53).toString(36));
};

describe("holdout assignment", () => {
  it("is deterministic and in 0..9999", () => {
    expect(assignmentBucket("k1", "visitor-a")).toBe(assignmentBucket("k1", "visitor-a"));
    for (const key of randomKeys(1000, 1)) {
      const bucket = assignmentBucket("k1", key);
      expect(Number.isInteger(bucket) && bucket >= 0 && bucket < 10000).toBe(true);
    }
  });

  it("spreads visitors evenly: 100 bins pass a chi-square test, and a 10% holdout holds 10% of them", () => {
    const keys = randomKeys(100_000, 2);
    const bins = new Array<number>(100).fill(0);
    for (const key of keys) bins[Math.floor(assignmentBucket("abc123", key) / 100)]! += 1;
    const expected = keys.length / 100;
    const statistic = bins.reduce((sum, count) => sum + (count - expected) ** 2 / expected, 0);
    // 99 degrees of freedom: the 99.9th percentile is about 148.
    expect(statistic).toBeLessThan(148);
    const held = keys.filter((key) => groupFor(1000, "abc123", key) === "holdout").length / keys.length;
    expect(Math.abs(held - 0.1)).toBeLessThan(0.005);
    expect(keys.every((key) => groupFor(0, "abc123", key) === "shown")).toBe(true);
    expect(keys.every((key) => groupFor(10000, "abc123", key) === "holdout")).toBe(true);
  });

  it("reshuffles everyone for a new test: one test's group does not predict another's", () => {
    const keys = randomKeys(40_000, 3);
    let both = 0;
    let first = 0;
    let second = 0;
    for (const key of keys) {
      const a = groupFor(5000, "test-one", key) === "holdout";
      const b = groupFor(5000, "test-two", key) === "holdout";
      if (a) first++;
      if (b) second++;
      if (a && b) both++;
    }
    // Independent halves: a quarter in both, within a few standard errors (sd ≈ 0.0022).
    expect(Math.abs(both / keys.length - (first / keys.length) * (second / keys.length))).toBeLessThan(0.01);
  });

  it("mixes keys that differ in one character as much as random keys", () => {
    let same = 0;
    const total = 20_000;
    for (let index = 0; index < total; index++) {
      const key = `visitor-${index.toString(36).padStart(6, "0")}`;
      const neighbour = `${key.slice(0, -1)}${key.endsWith("z") ? "y" : "z"}`;
      if (groupFor(5000, "k", key) === groupFor(5000, "k", neighbour)) same++;
    }
    expect(Math.abs(same / total - 0.5)).toBeLessThan(0.02);
  });

  it("imports nothing, so the storefront script can bundle it alone", async () => {
    const { readFile } = await import("node:fs/promises");
    const source = await readFile(new URL("./assignment.ts", import.meta.url), "utf8");
    expect(source).not.toMatch(/^\s*import\s/m);
  });
});
