/**
 * npm run bench:widget: what the storefront widgets cost a shop's pages.
 *
 * 1. Sizes of the widget script and stylesheet, raw and gzipped (budget: script ≤ 6 KB gzipped).
 * 2. Lighthouse (performance only, its default mobile profile with simulated throttling) on the demo
 *    shop's preview product page with the Upshelf blocks and embed, and without them
 *    (`?upshelf=off`), several runs each, alternating; medians of the score, CLS, TBT and LCP.
 *    Targets: score difference ≤ 1 point, CLS added 0.
 *
 * Options: --runs N (default 5), --product <handle> (default regency-cakestand-3-tier).
 * Starts the app in demo mode on a free port with the default database (seeding it on first use).
 */
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";
import { startAppServer } from "../tests/support/app-server";

const root = path.resolve(import.meta.dirname, "..");
const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const index = args.indexOf(`--${name}`);
  return index >= 0 && args[index + 1] ? (args[index + 1] as string) : fallback;
};
const runs = Number(option("runs", "5"));
const handle = option("product", "regency-cakestand-3-tier");
if (!Number.isInteger(runs) || runs < 1) throw new Error("--runs must be a whole number of at least 1");

const kb = (bytes: number) => `${(bytes / 1024).toFixed(2)} KB`;

function sizes() {
  const files = ["extensions/upshelf-widgets/assets/upshelf.js", "extensions/upshelf-widgets/assets/upshelf.css", "extensions/upshelf-widgets/src/upshelf.js"];
  console.log("\n## Sizes\n\n| File | Raw | gzip -9 | brotli |\n| --- | --- | --- | --- |");
  for (const file of files) {
    const body = fs.readFileSync(path.join(root, file));
    const gzip = zlib.gzipSync(body, { level: 9 }).length;
    const brotli = zlib.brotliCompressSync(body).length;
    console.log(`| ${file} | ${body.length} B (${kb(body.length)}) | ${gzip} B (${kb(gzip)}) | ${brotli} B |`);
  }
}

interface Measure {
  score: number;
  cls: number;
  tbt: number;
  lcp: number;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};

async function measure(url: string, port: number): Promise<Measure> {
  const result = await lighthouse(url, { port, output: "json", logLevel: "error", onlyCategories: ["performance"] });
  if (!result) throw new Error(`Lighthouse returned nothing for ${url}`);
  const { lhr } = result;
  if (lhr.runtimeError) throw new Error(`Lighthouse failed on ${url}: ${lhr.runtimeError.message}`);
  const audit = (id: string) => lhr.audits[id]?.numericValue ?? Number.NaN;
  return {
    score: Math.round((lhr.categories.performance?.score ?? 0) * 100),
    cls: audit("cumulative-layout-shift"),
    tbt: audit("total-blocking-time"),
    lcp: audit("largest-contentful-paint"),
  };
}

async function main() {
  sizes();
  const server = await startAppServer({});
  const chrome = await chromeLauncher.launch({
    chromePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    chromeFlags: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
  try {
    const withBlocks = `${server.url}/preview/products/${handle}`;
    const without = `${withBlocks}?upshelf=off`;
    // Warm up: compile the routes, build the ranking model, fill the caches of both variants.
    for (const url of [withBlocks, without]) await measure(url, chrome.port);
    const measured: Record<"with" | "without", Measure[]> = { with: [], without: [] };
    for (let run = 0; run < runs; run += 1) {
      measured.without.push(await measure(without, chrome.port));
      measured.with.push(await measure(withBlocks, chrome.port));
      process.stderr.write(`run ${run + 1}/${runs} done\n`);
    }
    const summary = (list: Measure[]) => ({
      score: median(list.map((m) => m.score)),
      cls: median(list.map((m) => m.cls)),
      tbt: median(list.map((m) => m.tbt)),
      lcp: median(list.map((m) => m.lcp)),
      maxCls: Math.max(...list.map((m) => m.cls)),
    });
    const a = summary(measured.without);
    const b = summary(measured.with);
    console.log(`\n## Lighthouse ${lighthouseVersion()}, ${runs} runs each, medians (product page: ${handle})\n`);
    console.log("| Page | Score | CLS (max over runs) | TBT | LCP |\n| --- | --- | --- | --- | --- |");
    console.log(`| without Upshelf (?upshelf=off) | ${a.score} | ${a.cls.toFixed(3)} (${a.maxCls.toFixed(3)}) | ${a.tbt.toFixed(0)} ms | ${a.lcp.toFixed(0)} ms |`);
    console.log(`| with the blocks and embed | ${b.score} | ${b.cls.toFixed(3)} (${b.maxCls.toFixed(3)}) | ${b.tbt.toFixed(0)} ms | ${b.lcp.toFixed(0)} ms |`);
    console.log(`\nScore difference: ${a.score - b.score} point(s) (target ≤ 1). CLS added: ${(b.cls - a.cls).toFixed(3)} (target 0). TBT added: ${(b.tbt - a.tbt).toFixed(0)} ms.`);
    console.log(`Per run (without → with): ${measured.without.map((m, i) => `${m.score}→${measured.with[i]?.score}`).join(", ")}`);
  } finally {
    chrome.kill();
    await server.stop();
  }
}

function lighthouseVersion(): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, "node_modules/lighthouse/package.json"), "utf8")) as { version: string };
  return pkg.version;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
