/**
 * How long a ranking rebuild in the serving process holds its event loop: storefront requests
 * queued behind the rebuild wait that long. Prints figures; asserts nothing.
 *   node --import tsx scripts/bench-rebuild.ts [--runs 3] [--db file:tmp/bench-api.sqlite]
 *
 * The demo shop (seeded on first use, shared with bench:api) is loaded as the server loads it,
 * then rebuilt `runs` times exactly as the scheduler and imports rebuild it
 * (`rebuildRecommendations`: read the orders and catalog, build, save, swap). A 2 ms timer
 * measures how late the event loop runs it; its lateness is a request's extra wait.
 * Latest figures: docs/benchmarks-ranking.md.
 */
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "3" },
    db: { type: "string", default: "file:tmp/bench-api.sqlite" },
  },
});

// The database must be chosen before any module that opens it is loaded. Demo mode: no Shopify credentials.
process.env.DATABASE_URL = values.db;
for (const name of ["SHOPIFY_API_KEY", "SHOPIFY_API_SECRET", "SHOPIFY_APP_URL"]) delete process.env[name];

const { deployMigrations } = await import("./prisma");
const { DEMO_SHOP_DOMAIN } = await import("~/env.server");
const { seedDemoShop } = await import("~/services/demo-shop.server");
const { getServingModel, rebuildRecommendations } = await import("~/services/recommendations.server");

const TICK_MS = 2;

/** Runs `work` under a TICK_MS timer; returns the work's wall time and the timer's lateness per tick, longest first. */
async function stallsDuring(work: () => Promise<unknown>): Promise<{ wallMs: number; stalls: number[] }> {
  const stalls: number[] = [];
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    stalls.push(now - last - TICK_MS);
    last = now;
  }, TICK_MS);
  const started = performance.now();
  await work();
  const wallMs = performance.now() - started;
  clearInterval(timer);
  return { wallMs, stalls: stalls.sort((a, b) => b - a) };
}

deployMigrations();
const seeded = await seedDemoShop({ shopId: DEMO_SHOP_DOMAIN });
await getServingModel(DEMO_SHOP_DOMAIN);
console.log(`Demo shop: ${seeded.products} products, ${seeded.orders} orders; ${values.runs} rebuilds, a ${TICK_MS} ms timer.`);
for (let run = 1; run <= Number(values.runs); run += 1) {
  const { wallMs, stalls } = await stallsDuring(() => rebuildRecommendations(DEMO_SHOP_DOMAIN));
  const over = (ms: number) => stalls.filter((stall) => stall > ms).length;
  console.log(
    `rebuild ${run}: ${(wallMs / 1000).toFixed(2)} s wall; longest stalls ${stalls
      .slice(0, 3)
      .map((ms) => ms.toFixed(1))
      .join(", ")} ms; ${over(20)} over 20 ms, ${over(50)} over 50 ms`,
  );
}
