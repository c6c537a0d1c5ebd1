import { describe, expect, it } from "vitest";
import { facetKey, textTokens } from "./text-tokens";

describe("textTokens", () => {
  it("lower-cases, drops stopwords, numbers and one-letter words, and folds plurals", () => {
    expect(textTokens("SET OF 3 Cake Tins, PANTRY design")).toEqual(["cake", "tin", "pantry", "design"]);
    expect(textTokens("Glass mugs")).toEqual(["glass", "mug"]);
  });

  it("folds accents, so an accented word stays one word", () => {
    expect(textTokens("Crème brûlée ramekins, été")).toEqual(["creme", "brulee", "ramekin", "ete"]);
    // Vowel signs of other scripts are part of their words: neither dropped nor splitting them.
    expect(textTokens("हिन्दी पुस्तक")).toEqual(["हिन्दी", "पुस्तक"]);
    expect(textTokens("หนังสือ เล่ม")).toEqual(["หนังสือ", "เล่ม"]);
  });

  it("normalises facets", () => {
    expect(facetKey(" Mugs ")).toBe("mugs");
    expect(facetKey("  ")).toBeUndefined();
  });
});
