/**
 * The cart drawer and the cart page's upsell can be on screen together: their regions need
 * different names, or a screen reader lists two identical landmarks (axe: landmark-unique).
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.join(import.meta.dirname);
const read = (file: string) => readFile(path.join(root, file), "utf8");

describe("the widgets' region names", () => {
  it("names the cart drawer apart from the cart page's upsell, in every language", async () => {
    const embed = await read("blocks/upshelf-embed.liquid");
    const upsell = await read("blocks/cart-upsell.liquid");
    const key = (liquid: string, id: string) => new RegExp(`id="${id}"[^>]*>\\{\\{ '([a-z_.]+)' \\| t \\}\\}`).exec(liquid)?.[1];
    const drawerKey = key(embed, "upshelf-drawer-h");
    const upsellKey = /\{\{ '(upshelf\.[a-z_]+\.heading)' \| t \}\}/.exec(upsell)?.[1];
    expect(drawerKey).toBeDefined();
    expect(upsellKey).toBeDefined();
    for (const locale of ["locales/en.default.json", "locales/fr.json"]) {
      const texts = JSON.parse(await read(locale)) as Record<string, unknown>;
      const text = (dotted: string) => dotted.split(".").reduce<unknown>((node, part) => (node as Record<string, unknown>)?.[part], texts);
      expect(typeof text(drawerKey as string), locale).toBe("string");
      expect(text(drawerKey as string), locale).not.toBe(text(upsellKey as string));
    }
  });
});
