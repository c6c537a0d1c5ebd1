import { describe, expect, it } from "vitest";
import { addToLines, CartError, changeLine, lineKey, MAX_LINE_QUANTITY } from "./cart-lines";

describe("storefront cart lines", () => {
  it("merges an add into the line with the same variant and properties, and keeps others apart", () => {
    const first = addToLines([], [{ variantId: "11", quantity: 1 }]);
    const second = addToLines(first.lines, [
      { variantId: "11", quantity: 2 },
      { variantId: "11", quantity: 1, properties: { _upshelf_placement: "pdp" } },
    ]);
    expect(second.lines).toHaveLength(2);
    expect(second.lines.find((line) => Object.keys(line.properties).length === 0)?.quantity).toBe(3);
    expect(second.touched.map((line) => line.quantity)).toEqual([3, 1]);
    expect(second.lines[0]?.properties).toEqual({ _upshelf_placement: "pdp" });
  });

  it("keys a line by variant and properties, whatever the properties' order", () => {
    expect(lineKey("11", { a: "1", b: "2" })).toBe(lineKey("11", { b: "2", a: "1" }));
    expect(lineKey("11", { a: "1" })).not.toBe(lineKey("11", { a: "2" }));
    expect(lineKey("11", {})).toMatch(/^11:[0-9a-f]{8}$/);
  });

  it("caps a line's quantity", () => {
    const { lines } = addToLines([], [{ variantId: "11", quantity: MAX_LINE_QUANTITY }, { variantId: "11", quantity: 5 }]);
    expect(lines[0]?.quantity).toBe(MAX_LINE_QUANTITY);
  });

  it("changes a line by key, by variant id or by 1-based line number, and removes it at quantity 0", () => {
    const { lines } = addToLines([], [{ variantId: "11", quantity: 1 }, { variantId: "12", quantity: 1, properties: { x: "y" } }]);
    const keyOf12 = lines.find((line) => line.variantId === "12")?.key as string;
    expect(changeLine(lines, { id: keyOf12, quantity: 4 }).find((line) => line.variantId === "12")?.quantity).toBe(4);
    expect(changeLine(lines, { id: "11", quantity: 2 }).find((line) => line.variantId === "11")?.quantity).toBe(2);
    expect(changeLine(lines, { line: 1, quantity: 0 }).map((line) => line.variantId)).toEqual(["11"]);
  });

  it("refuses a change to a line the cart does not have", () => {
    expect(() => changeLine([], { line: 1, quantity: 1 })).toThrow(CartError);
    expect(() => changeLine([], { id: "99:abcdef01", quantity: 1 })).toThrow("no such line");
    expect(() => changeLine([], { quantity: 1 })).toThrow(CartError);
  });

  it("keeps a line bought with a selling plan apart from the same variant and properties bought once, and merges an add on the same plan", () => {
    const { lines } = addToLines([], [
      { variantId: "11", quantity: 1, properties: { Gift: "yes" } },
      { variantId: "11", quantity: 2, properties: { Gift: "yes" }, sellingPlanId: "690001" },
      { variantId: "11", quantity: 1, properties: { Gift: "yes" }, sellingPlanId: "690001" },
    ]);
    expect(lines.map((line) => [line.sellingPlanId, line.quantity])).toEqual([
      ["690001", 3],
      [null, 1],
    ]);
    expect(lineKey("11", {}, "690001")).not.toBe(lineKey("11", {}));
    expect(lineKey("11", {}, null)).toBe(lineKey("11", {}));
  });
});
