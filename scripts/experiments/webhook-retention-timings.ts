/**
 * Pruning a large WebhookDelivery table (app/services/webhooks/retention.server.ts) on SQLite: how
 * long the first pass over a backlog takes, and how long it holds the process at a time.
 *   npx tsx scripts/experiments/webhook-retention-timings.ts [--deliveries 1000000] [--days 365] [--batch 500]
 * Writes a fresh SQLite file under tmp/ and removes it at the end.
 */
import fs from "node:fs";
import path from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { parseArgs } from "node:util";
import Database from "better-sqlite3";

const { values } = parseArgs({
  options: {
    deliveries: { type: "string", default: "1000000" },
    days: { type: "string", default: "365" },
    batch: { type: "string", default: "500" },
  },
});
const N = Number(values.deliveries);
const DAYS = Number(values.days);
const BATCH = Number(values.batch);

const root = path.resolve(import.meta.dirname, "../..");
const file = path.join(root, "tmp", `webhook-retention-${process.pid}.sqlite`);
fs.mkdirSync(path.dirname(file), { recursive: true });
process.env.DATABASE_URL = `file:${file}`;
for (const name of ["SHOPIFY_API_KEY", "SHOPIFY_API_SECRET", "SHOPIFY_APP_URL"]) delete process.env[name];

const { deployMigrations } = await import("../prisma");
deployMigrations();
const { PrismaClient } = await import("~/generated/prisma/sqlite/client");
const { createDriverAdapter } = await import("~/db-adapter.server");
const client = new PrismaClient({ adapter: createDriverAdapter(process.env.DATABASE_URL) as never, log: [{ emit: "event", level: "query" }] });
const statements: number[] = [];
client.$on("query", (event) => {
  if (/^(SELECT|DELETE)/.test(event.query) && event.query.includes("WebhookDelivery")) statements.push(Number(event.duration));
});
(globalThis as { upshelfDb?: unknown }).upshelfDb = client;
const { pruneWebhookDeliveries } = await import("~/services/webhooks/retention.server");

const shops = ["large.myshopify.com", "small.myshopify.com"];
for (const id of shops) await client.shop.create({ data: { id, name: id, currency: "USD" } });

// Rows as the app leaves them: processed ones with an emptied payload, 1% failed with an order's.
const sqlite = new Database(file);
sqlite.pragma("journal_mode = WAL");
const insert = sqlite.prepare(
  `INSERT INTO "WebhookDelivery" ("shopId","webhookId","topic","payload","status","attempts","receivedAt","processedAt") VALUES (?,?,?,?,?,?,?,?)`,
);
const orderPayload = JSON.stringify({ id: 1, email: "buyer@example.com", line_items: Array.from({ length: 5 }, (_, i) => ({ id: i, title: "x".repeat(300) })) });
const iso = (ms: number) => new Date(ms).toISOString().replace("Z", "+00:00");
const now = Date.now();
const t0 = performance.now();
for (let start = 0; start < N; start += 50_000) {
  sqlite.transaction(() => {
    for (let w = start; w < Math.min(N, start + 50_000); w++) {
      const at = now - DAYS * 86_400_000 + Math.floor((w / N) * DAYS * 86_400_000);
      const failed = w % 100 === 0;
      insert.run(shops[w % 10 === 0 ? 1 : 0], `wh-${w}`, "orders/create", failed ? orderPayload : "{}", failed ? "failed" : "done", failed ? 5 : 1, iso(at), failed ? null : iso(at + 1000));
    }
  })();
}
sqlite.close();
console.log(`${N.toLocaleString("en")} deliveries over ${DAYS} days written in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

async function pass(label: string) {
  statements.length = 0;
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  const started = performance.now();
  const deleted = await pruneWebhookDeliveries({ batchSize: BATCH });
  const seconds = (performance.now() - started) / 1000;
  delay.disable();
  const sorted = [...statements].sort((a, b) => a - b);
  const p99 = sorted[Math.floor(sorted.length * 0.99)] ?? 0;
  console.log(
    `${label}: ${deleted.toLocaleString("en")} deleted in ${seconds.toFixed(1)} s (${Math.round(deleted / seconds).toLocaleString("en")} rows/s), ` +
      `${statements.length.toLocaleString("en")} statements, p99 ${p99.toFixed(1)} ms, longest ${(sorted.at(-1) ?? 0).toFixed(1)} ms; ` +
      `event loop held at most ${(delay.max / 1e6).toFixed(0)} ms (p99 ${(delay.percentile(99) / 1e6).toFixed(0)} ms)`,
  );
}

await pass(`first pass, batches of ${BATCH}`);
await pass("next pass, nothing expired");
console.log(`${(await client.webhookDelivery.count()).toLocaleString("en")} deliveries left`);
await client.$disconnect();
for (const suffix of ["", "-wal", "-shm", "-journal"]) fs.rmSync(file + suffix, { force: true });
