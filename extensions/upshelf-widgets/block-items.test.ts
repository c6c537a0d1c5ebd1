/**
 * A block shows the fewer of its own "Number of items" and the placement's limit in the app, so
 * the admin states the blocks' defaults (app/core/settings/theme-block-items.ts) and takes the
 * largest as its default limit. These hold the block schemas, the admin's figures and its
 * defaults to one another: a block default changed here without the app would make the admin's
 * Recommendations page promise items buyers do not see.
 */
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_SHOP_SETTINGS, PLACEMENT_KEYS, THEME_BLOCK_ITEMS, themeBlocksOf } from "~/core/settings";
import { readBlockSchema, settingDefaults } from "~/services/storefront-preview/block-schema";

const blocks = path.join(import.meta.dirname, "blocks");

async function itemsDefault(file: string): Promise<unknown> {
  return settingDefaults(readBlockSchema(await readFile(path.join(blocks, file), "utf8"), file)).items;
}

describe("the recommendation blocks' number of items", () => {
  it("is, in every block's schema, the default the admin states for it", async () => {
    for (const block of THEME_BLOCK_ITEMS) expect(await itemsDefault(block.file), block.file).toBe(block.defaultItems);
  });

  it("leaves no block with a number of items out of the admin's figures", async () => {
    const withItems: string[] = [];
    for (const file of (await readdir(blocks)).filter((name) => name.endsWith(".liquid"))) {
      if ((await itemsDefault(file)) !== undefined) withItems.push(file);
    }
    expect(withItems.sort()).toEqual(THEME_BLOCK_ITEMS.map((block) => block.file).sort());
  });

  it("is what the admin's placement limit defaults to: the most a placement's blocks show by default", () => {
    for (const key of PLACEMENT_KEYS) {
      const defaults = themeBlocksOf(key).map((block) => block.defaultItems);
      if (defaults.length > 0) expect(DEFAULT_SHOP_SETTINGS.placements[key].limit, key).toBe(Math.max(...defaults));
    }
    expect(DEFAULT_SHOP_SETTINGS.placements.pdp.limit).toBe(2);
    expect(DEFAULT_SHOP_SETTINGS.placements.cart.limit).toBe(3);
  });
});
