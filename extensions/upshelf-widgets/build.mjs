/**
 * Builds the two assets storefronts load. assets/upshelf.css is src/upshelf.css minified by
 * esbuild: the source explains its measurements in comments, which buyers need not download.
 * assets/upshelf.js is built from src/upshelf.js: bundled and minified by esbuild with what it
 * imports from app/core (the currencies' decimals, so the widget and checkout count minor units
 * alike), then compressed again by terser (two passes), which takes a further 4% off the gzipped
 * size, so the script stays under its 6 KB gzipped budget while the source stays readable. Run `npm run build -w upshelf-widgets`
 * (or `node extensions/upshelf-widgets/build.mjs`) after editing either source; build.test.ts fails
 * when an asset is stale.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { buildSync, transformSync } from "esbuild";
import { minify_sync } from "terser";

const here = path.dirname(fileURLToPath(import.meta.url));
export const SOURCE = path.join(here, "src", "upshelf.js");
export const OUTPUT = path.join(here, "assets", "upshelf.js");
export const STYLE_SOURCE = path.join(here, "src", "upshelf.css");
export const STYLE_OUTPUT = path.join(here, "assets", "upshelf.css");

/** The stylesheet, minified; the browsers Shopify supports all read what esbuild leaves. */
export function buildStylesheet() {
  const { code } = transformSync(fs.readFileSync(STYLE_SOURCE, "utf8"), { loader: "css", minify: true, legalComments: "none" });
  return `/* Upshelf storefront widgets, built from src/upshelf.css by build.mjs. MIT licence. */\n${code}`;
}

export function buildScript() {
  const [output] = buildSync({
    entryPoints: [SOURCE],
    bundle: true,
    write: false,
    format: "iife",
    minify: true,
    target: "es2020",
    legalComments: "none",
  }).outputFiles;
  const { code } = minify_sync(output.text, { ecma: 2020, compress: { passes: 2 }, mangle: true, format: { comments: false } });
  // Generated code is linted as its source; the asset itself is not (eslint.config.js ignores it).
  // No first line naming the source and licence, as the stylesheet has: it cost 37 B of the 6 KB
  // gzipped budget, and this file, the README and the repository's licence say as much.
  return code;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  fs.writeFileSync(OUTPUT, buildScript());
  fs.writeFileSync(STYLE_OUTPUT, buildStylesheet());
  for (const file of [OUTPUT, STYLE_OUTPUT]) console.log(`wrote ${path.relative(process.cwd(), file)} (${fs.statSync(file).size} bytes)`);
}
