import { describe, expect, it } from "vitest";
import { contentNeighbours } from "./content-similarity";
import type { CatalogProduct } from "./types";

function neighboursOf(catalog: CatalogProduct[], id: string, options = {}) {
  const result = contentNeighbours(catalog, options);
  const position = catalog.findIndex((product) => product.id === id);
  const list: { id: string; score: number }[] = [];
  for (let i = result.offsets[position] ?? 0; i < (result.offsets[position + 1] ?? 0); i++) {
    list.push({ id: catalog[result.neighbours[i] ?? 0]?.id ?? "", score: result.scores[i] ?? 0 });
  }
  return list;
}

describe("contentNeighbours", () => {
  const catalog: CatalogProduct[] = [
    { id: "bag-red", title: "Jumbo Bag Red Retrospot" },
    { id: "bag-pink", title: "Jumbo Bag Pink Polkadot" },
    { id: "cup-red", title: "Red Retrospot Cup" },
    { id: "lantern", title: "White Metal Lantern" },
    { id: "mug-a", title: "Alpha", productType: "Mugs", vendor: "Kiln", price: 1200 },
    { id: "mug-b", title: "Bravo", productType: "Mugs", vendor: "Kiln", price: 1250 },
    { id: "mug-c", title: "Charlie", productType: "Mugs", vendor: "Other", price: 9000 },
  ];

  it("GIVEN shared title words THEN products are neighbours, rarer shared words counting more", () => {
    const list = neighboursOf(catalog, "bag-red");
    expect(
      list
        .map((n) => n.id)
        .slice(0, 2)
        .sort()
    ).toEqual(["bag-pink", "cup-red"]);
    expect(list.map((n) => n.id)).not.toContain("lantern");
    expect(list.map((n) => n.id)).not.toContain("bag-red");
    for (const n of list) expect(n.score).toBeLessThanOrEqual(1);
  });

  it("GIVEN facets THEN same type, vendor and price band make products more similar", () => {
    const list = neighboursOf(catalog, "mug-a");
    expect(list.map((n) => n.id)).toEqual(["mug-b", "mug-c"]);
    expect(list[0]!.score).toBeGreaterThan(list[1]!.score);
  });

  it("GIVEN descriptions THEN they count, less than titles", () => {
    const withText: CatalogProduct[] = [
      { id: "x", title: "Board", description: "carbon freestyle snowboard" },
      { id: "y", title: "Plank", description: "carbon freestyle snowboard" },
      { id: "z", title: "Board" },
      { id: "w", title: "Wax" },
    ];
    const list = neighboursOf(withText, "x");
    expect(list.map((n) => n.id).sort()).toEqual(["y", "z"]);
  });

  it("keeps at most `limit` neighbours", () => {
    const many = Array.from({ length: 12 }, (_, i) => ({ id: `p${i}`, title: `Retrospot ${String.fromCharCode(97 + i)}x` }));
    expect(neighboursOf(many, "p0", { limit: 5 })).toHaveLength(5);
  });

  it("GIVEN a word nearly every product has THEN it does not make them all neighbours (it is skipped as a candidate source)", () => {
    const many = Array.from({ length: 40 }, (_, i) => ({
      id: `p${i}`,
      title: `Retrospot ${String.fromCharCode(97 + (i % 26))}x`,
    }));
    // Only p26 shares p0's rare token "ax"; "retrospot" alone (in all 40) finds no one.
    expect(neighboursOf(many, "p0").map((n) => n.id)).toEqual(["p26"]);
  });
});
