import fs from "node:fs";
import zlib from "node:zlib";
import { describe, expect, it } from "vitest";
import { buildScript, buildStylesheet, OUTPUT, STYLE_OUTPUT } from "./build.mjs";

describe("the widget script asset", () => {
  it("is the current build of src/upshelf.js (run `node extensions/upshelf-widgets/build.mjs` after editing it)", () => {
    expect(fs.readFileSync(OUTPUT, "utf8")).toBe((buildScript as () => string)());
  });

  it("has a stylesheet that is the current minified build of src/upshelf.css", () => {
    expect(fs.readFileSync(STYLE_OUTPUT, "utf8")).toBe((buildStylesheet as () => string)());
  });

  it("stays within its 6 KB gzipped budget", () => {
    const gzipped = zlib.gzipSync(fs.readFileSync(OUTPUT), { level: 9 }).length;
    expect(gzipped).toBeLessThanOrEqual(6 * 1024);
  });
});
