import { describe, expect, it } from "vitest";
import { mulberry32, type Rng } from "../ranking/random";
import { assignmentBucket, groupFor } from "./assignment";

const HEX = "0123456789abcdef";

/** Visitor keys shaped like the storefront's (crypto.randomUUID), drawn from a seeded generator. */
function uuidKeys(count: number, rng: Rng): string[] {
  const word = () => Math.floor(rng() * 2 ** 32).toString(16).padStart(8, "0");
  return Array.from({ length: count }, () => {
    const digits = word() + word() + word() + word();
    const variant = "89ab"[parseInt(digits[16] as string, 16) % 4];
    return `${digits.slice(0, 8)}-${digits.slice(8, 12)}-4${digits.slice(13, 16)}-${variant}${digits.slice(17, 20)}-${digits.slice(20, 32)}`;
  });
}

/** Pearson's statistic of observed counts against expected ones. */
const chiSquare = (observed: readonly number[], expected: readonly number[]) =>
  observed.reduce((sum, count, index) => sum + (count - (expected[index] as number)) ** 2 / (expected[index] as number), 0);

describe("holdout assignment", () => {
  it("is deterministic and always a whole bucket in 0..9999", () => {
    expect(assignmentBucket("k1", "visitor-a")).toBe(assignmentBucket("k1", "visitor-a"));
    for (const key of uuidKeys(2000, mulberry32(1))) {
      const bucket = assignmentBucket("x8k2m9qa", key);
      expect(Number.isInteger(bucket) && bucket >= 0 && bucket < 10000).toBe(true);
    }
  });

  it("keeps the buckets the storefront's built script computes (FNV-1a over UTF-16 units, then murmur3's finaliser)", () => {
    // Computed independently (Python). The widget bundle embeds this hash: a change here would
    // put visitors in different groups in the browser and on the server.
    expect(assignmentBucket("abc123", "visitor-1")).toBe(3652);
    expect(assignmentBucket("abc123", "visitor-2")).toBe(7337);
    expect(assignmentBucket("k1", "0f3c9a2e-77b1-4d0e-9c55-3b1f0b8f2a61")).toBe(2951);
    expect(assignmentBucket("", "")).toBe(9405);
    expect(assignmentBucket("exp-ü", "vïsitor-😀")).toBe(4188);
  });

  it("spreads visitors evenly: 100 bins pass a chi-square test, and a 10% holdout holds 10% of them", () => {
    const keys = uuidKeys(100_000, mulberry32(2));
    const bins = new Array<number>(100).fill(0);
    let held = 0;
    for (const key of keys) {
      const bucket = assignmentBucket("abc123xy", key);
      bins[Math.floor(bucket / 100)]! += 1;
      if (bucket < 1000) held++;
    }
    // 99 degrees of freedom: the 99.9th percentile is about 148.
    expect(chiSquare(bins, bins.map(() => keys.length / 100))).toBeLessThan(148);
    expect(Math.abs(held / keys.length - 0.1)).toBeLessThan(0.005);
    // groupFor agrees with the buckets, and the shares' ends are absolute.
    expect(keys.filter((key) => groupFor(1000, "abc123xy", key) === "holdout").length).toBe(held);
    expect(keys.slice(0, 5000).every((key) => groupFor(0, "abc123xy", key) === "shown")).toBe(true);
    expect(keys.slice(0, 5000).every((key) => groupFor(10000, "abc123xy", key) === "holdout")).toBe(true);
  });

  it("reshuffles everyone for a new test: one test's group does not predict another's", () => {
    const keys = uuidKeys(40_000, mulberry32(3));
    // [held in both, held in the first only, held in the second only, held in neither]
    const table = [0, 0, 0, 0];
    for (const key of keys) {
      const first = groupFor(2000, "test0001", key) === "holdout";
      const second = groupFor(2000, "test0002", key) === "holdout";
      table[first ? (second ? 0 : 1) : second ? 2 : 3]! += 1;
    }
    const [both, firstOnly, secondOnly] = table as [number, number, number, number];
    const firstShare = (both + firstOnly) / keys.length;
    const secondShare = (both + secondOnly) / keys.length;
    const expected = [firstShare * secondShare, firstShare * (1 - secondShare), (1 - firstShare) * secondShare, (1 - firstShare) * (1 - secondShare)].map(
      (share) => share * keys.length,
    );
    // Independence of a 2×2 table: 1 degree of freedom, 99.9th percentile 10.83.
    expect(chiSquare(table, expected)).toBeLessThan(10.83);
    // And not just the margins: about 4% (20% × 20%) are held out in both.
    expect(Math.abs(both / keys.length - 0.04)).toBeLessThan(0.005);
  });

  it("mixes keys that differ in one character as much as random keys", () => {
    const rng = mulberry32(4);
    const keys = uuidKeys(20_000, rng);
    let sameGroup = 0;
    let sameBucket = 0;
    let nearBucket = 0;
    for (const key of keys) {
      // Change one hex digit at a random position (skipping the dashes).
      let position: number;
      do position = Math.floor(rng() * key.length);
      while (key[position] === "-");
      const digit = HEX.indexOf(key[position] as string);
      const neighbour = key.slice(0, position) + HEX[(digit + 1 + Math.floor(rng() * 15)) % 16] + key.slice(position + 1);
      const a = assignmentBucket("k9x2m4qa", key);
      const b = assignmentBucket("k9x2m4qa", neighbour);
      if (a < 5000 === b < 5000) sameGroup++;
      if (a === b) sameBucket++;
      if (Math.abs(a - b) < 100) nearBucket++;
    }
    // Chance: half share a 50% group (sd 0.0035), 1 in 10,000 the bucket, about 2% a bucket within 100.
    expect(Math.abs(sameGroup / keys.length - 0.5)).toBeLessThan(0.015);
    expect(sameBucket).toBeLessThanOrEqual(10);
    expect(Math.abs(nearBucket / keys.length - 0.0199)).toBeLessThan(0.006);
  });

  it("imports nothing, so the storefront script can bundle it alone", async () => {
    const { readFile } = await import("node:fs/promises");
    const source = await readFile(new URL("./assignment.ts", import.meta.url), "utf8");
    expect(source).not.toMatch(/^\s*(import|export\s.*\sfrom)\s/m);
    expect(source).not.toMatch(/\b(BigInt|TextEncoder|require)\b|\d+n\b/);
  });
});
