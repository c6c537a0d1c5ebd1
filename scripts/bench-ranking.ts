/**
 * Speed and memory of the ranking engine on the shared UCI file. Prints figures; asserts nothing.
 *   node --expose-gc --import tsx scripts/bench-ranking.ts [--file PATH] [--queries N] [--seed N]
 * Latest figures and how to read them: docs/benchmarks-ranking.md.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import {
  addOrder,
  buildSnapshot,
  createCoPurchaseStats,
  createFeedbackStore,
  deserializeSnapshot,
  mulberry32,
  recommendForCart,
  recommendForProduct,
  rerankWithThompsonSampling,
  serializeSnapshot,
  type Order,
  type RankingSnapshot,
  type Rng,
} from "~/core/ranking";
import { readOrderFile } from "~/services/order-files";

// The shared data folder sits beside the project (../shared/data); pass --file FILE for any other orders file.
const DEFAULT_FILE = path.resolve(import.meta.dirname, "../../shared/data/online-retail/online-retail-2010-12_2011-08.csv");
const DAY = 86_400_000;

const { values } = parseArgs({
  options: {
    file: { type: "string", default: DEFAULT_FILE },
    queries: { type: "string", default: "20000" },
    seed: { type: "string", default: "1" },
  },
});
const queryCount = Number(values.queries);
const seed = Number(values.seed);

const gc = (globalThis as { gc?: () => void }).gc;
const collect = () => gc?.();
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(0)} MB`;
const ms = (value: number) => `${value.toFixed(0)} ms`;

function buildFromScratch(orders: readonly Order[], catalog: Parameters<typeof buildSnapshot>[1], now: number) {
  const started = performance.now();
  const stats = createCoPurchaseStats();
  for (const order of orders) addOrder(stats, order);
  const statsDone = performance.now();
  const snapshot = buildSnapshot(stats, catalog, { now });
  const done = performance.now();
  return { snapshot, statsMs: statsDone - started, snapshotMs: done - statsDone, totalMs: done - started };
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;
}

/** Median and p99 of one query shape, timed one call at a time after a warm-up. */
function timeQueries(label: string, inputs: readonly (() => unknown)[]): void {
  for (const run of inputs.slice(0, 2_000)) run();
  const times: number[] = [];
  for (const run of inputs) {
    const start = process.hrtime.bigint();
    run();
    times.push(Number(process.hrtime.bigint() - start) / 1_000);
  }
  times.sort((a, b) => a - b);
  console.log(
    `  ${label.padEnd(44)} median ${percentile(times, 0.5).toFixed(1).padStart(6)} µs   p99 ${percentile(times, 0.99)
      .toFixed(1)
      .padStart(6)} µs   (${times.length} queries)`
  );
}

/**
 * A 10× order history with the same shape: each original order is replayed ten times, dated
 * within ±30 days of the original, with each line kept with probability 0.9 and one in ten
 * replaced by a line of another random order (so new pairs appear, as in a bigger shop).
 */
function synthesiseHistory(orders: readonly Order[], factor: number, rng: Rng): Order[] {
  const result: Order[] = [];
  for (let copy = 0; copy < factor; copy++) {
    for (const order of orders) {
      const lines = [];
      for (const line of order.lines) {
        const draw = rng();
        if (draw < 0.1) continue;
        if (draw < 0.2) {
          const donor = orders[Math.floor(rng() * orders.length)];
          const replacement = donor?.lines[Math.floor(rng() * donor.lines.length)];
          if (replacement) lines.push(replacement);
          continue;
        }
        lines.push(line);
      }
      if (lines.length === 0) continue;
      result.push({ id: `${order.id}~${copy}`, createdAt: order.createdAt + Math.round((rng() - 0.5) * 60 * DAY), lines });
    }
  }
  return result.sort((a, b) => a.createdAt - b.createdAt);
}

async function main(): Promise<void> {
  if (!existsSync(values.file)) {
    console.error(`No orders file at ${values.file}. Pass one in the UCI Online Retail layout with --file PATH.`);
    process.exit(1);
  }
  if (!gc) console.log("(run with node --expose-gc for memory figures after garbage collection)");
  console.log(`Ranking engine benchmark on ${values.file}`);
  console.log(`Node ${process.version}, ${process.platform}/${process.arch}`);

  let started = performance.now();
  const file = await readOrderFile(values.file, { format: "uci" });
  console.log(
    `Parse: ${ms(performance.now() - started)} for ${file.rowsRead} rows -> ${file.orders.length} orders, ${
      file.catalog.length
    } products`
  );
  const now = file.orders.reduce((latest, order) => Math.max(latest, order.createdAt), 0);

  collect();
  const before = process.memoryUsage();
  const rssBeforeBuild = process.resourceUsage().maxRSS * 1024;
  const build = buildFromScratch(file.orders, file.catalog, now);
  const afterBuild = process.memoryUsage();
  const peakRss = process.resourceUsage().maxRSS * 1024;
  console.log("");
  console.log("Full build (statistics from all orders, then the snapshot):");
  console.log(`  total ${ms(build.totalMs)} (statistics ${ms(build.statsMs)}, snapshot ${ms(build.snapshotMs)})`);
  console.log(
    `  memory: heap ${mb(before.heapUsed)} before, ${mb(afterBuild.heapUsed)} right after the build; process peak RSS ${mb(
      peakRss
    )} (${mb(rssBeforeBuild)} before the build, parsed file included)`
  );
  const snapshot = build.snapshot;
  console.log(
    `  snapshot: ${snapshot.productIds.length} products, ${snapshot.candidates.length} candidates, version ${snapshot.version}`
  );

  started = performance.now();
  const text = serializeSnapshot(snapshot);
  const serialiseMs = performance.now() - started;
  started = performance.now();
  const loaded: RankingSnapshot = deserializeSnapshot(text);
  const loadMs = performance.now() - started;
  console.log(
    `  serialised ${mb(text.length)} in ${ms(serialiseMs)}; loaded in ${ms(loadMs)} (version ${
      loaded.version === snapshot.version ? "matches" : "DIFFERS"
    })`
  );

  const rng = mulberry32(seed);
  const products = snapshot.productIds;
  const pdpInputs = Array.from({ length: queryCount }, () => products[Math.floor(rng() * products.length)] ?? "");
  // Real 10-item carts: the first ten distinct items of orders that have at least ten.
  const bigOrders = file.orders.filter((order) => new Set(order.lines.map((line) => line.productId)).size >= 10);
  const carts = Array.from({ length: queryCount }, () => {
    const order = bigOrders[Math.floor(rng() * bigOrders.length)];
    return [...new Set(order?.lines.map((line) => line.productId))].slice(0, 10);
  });
  const rules = { maxPerProductType: 2, exclusions: { global: [products[0] ?? ""] } };
  console.log("");
  console.log("In-process queries (limit 10):");
  timeQueries(
    "product page",
    pdpInputs.map((id) => () => recommendForProduct(snapshot, id, { limit: 10 }))
  );
  timeQueries(
    "10-item cart",
    carts.map((cart) => () => recommendForCart(snapshot, cart, { limit: 10 }))
  );
  timeQueries(
    "product page, diversity + exclusion rules",
    pdpInputs.map((id) => () => recommendForProduct(snapshot, id, { limit: 10, rules }))
  );
  timeQueries(
    "10-item cart, diversity + exclusion rules",
    carts.map((cart) => () => recommendForCart(snapshot, cart, { limit: 10, rules }))
  );

  const feedback = createFeedbackStore();
  const policyRng = mulberry32(seed + 2);
  const rerankInputs = pdpInputs.slice(0, 5_000).map((id) => {
    const candidates = recommendForProduct(snapshot, id, { limit: 20 });
    return () => rerankWithThompsonSampling(candidates, { anchorKey: id, placement: "pdp", feedback, rng: policyRng, slots: 4 });
  });
  timeQueries("Thompson re-rank, 20 into 4, 100 MC draws", rerankInputs);

  const incremental = createCoPurchaseStats();
  started = performance.now();
  for (const order of file.orders) addOrder(incremental, order);
  const perOrderUs = ((performance.now() - started) * 1000) / file.orders.length;
  console.log("");
  console.log(`Incremental addOrder: ${perOrderUs.toFixed(1)} µs per order on average`);

  const factor = 10;
  const synthetic = synthesiseHistory(file.orders, factor, mulberry32(seed + 1));
  collect();
  const baseline = buildFromScratch(file.orders, file.catalog, now);
  collect();
  const scaled = buildFromScratch(synthetic, file.catalog, now);
  console.log("");
  console.log(`Scaling: synthetic ${factor}× history (${synthetic.length} orders, resampled and perturbed, seed ${seed + 1})`);
  console.log(
    `  build ${ms(baseline.totalMs)} -> ${ms(scaled.totalMs)}: ${(scaled.totalMs / baseline.totalMs).toFixed(2)}× time for ${(
      synthetic.length / file.orders.length
    ).toFixed(1)}× orders`
  );
  console.log(`  process peak RSS ${mb(process.resourceUsage().maxRSS * 1024)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
