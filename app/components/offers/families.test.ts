import { describe, expect, it } from "vitest";
import { STOREFRONT_BLOCKS } from "~/core/storefront-blocks";
import { OFFER_TYPE_STOREFRONT } from "./families";

describe("where an offer editor says buyers meet the offer", () => {
  it("names each theme block as the theme editor does, so the merchant can find it there", () => {
    const editorNames = STOREFRONT_BLOCKS.filter((block) => block.kind === "block").map((block) => block.name);
    const named = Object.values(OFFER_TYPE_STOREFRONT).flatMap((text) => [...text.matchAll(/In the (.+?) block\b/g)].map((match) => match[1] ?? ""));
    expect(named.length).toBeGreaterThan(0);
    for (const name of named) {
      // "Deals" stands for "Deals: buy X get Y, any N", the editor's name for that block.
      expect(editorNames.some((editorName) => editorName === name || editorName.startsWith(`${name}:`)), `"${name}" is no block's name`).toBe(true);
    }
  });
});
