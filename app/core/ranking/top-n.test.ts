import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { topIndices } from "./top-n";

describe("topIndices", () => {
  it("PROPERTY: equals a full stable sort by score descending, cut to the limit", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -5, max: 5 })), fc.integer({ min: 0, max: 12 }), (scores, limit) => {
        const expected = scores
          .map((score, index) => ({ score, index }))
          .sort((a, b) => b.score - a.score || a.index - b.index)
          .slice(0, limit)
          .map((entry) => entry.index);
        expect(topIndices(scores.length, (i) => scores[i] ?? 0, limit)).toEqual(expected);
      })
    );
  });

  it("skips NaN scores", () => {
    expect(topIndices(3, (i) => [1, Number.NaN, 2][i] ?? 0, 3)).toEqual([2, 0]);
  });
});
