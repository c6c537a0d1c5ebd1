/**
 * Throughput and latency of the recommendations endpoint (GET /apps/upshelf/recommendations)
 * against a bare node:http server answering a fixed JSON body, measured in the same run with the
 * same load. Prints figures; asserts nothing.
 *   node --import tsx scripts/bench-api.ts [--connections 50] [--seconds 10] [--warmup 3] [--cart-share 0.2] [--db file:tmp/bench-api.sqlite]
 *
 * What is measured: `handleRecommendationsHttp`, exactly the handler server.ts mounts for this path
 * (signature check, query validation, the in-memory model, pooled Thompson slates for product
 * pages and carts, JSON), on a plain node:http server like the bare one, with
 * the demo shop's model loaded. Express's router in front of it in server.ts is not measured. The
 * load generator runs in a worker thread with keep-alive connections, so it never shares the
 * servers' event loop.
 * Latest figures: docs/benchmarks.md.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { parseArgs } from "node:util";
import { Worker } from "node:worker_threads";

const { values } = parseArgs({
  options: {
    connections: { type: "string", default: "50" },
    seconds: { type: "string", default: "10" },
    warmup: { type: "string", default: "3" },
    "cart-share": { type: "string", default: "0.2" },
    db: { type: "string", default: "file:tmp/bench-api.sqlite" },
  },
});
const connections = Number(values.connections);
const seconds = Number(values.seconds);
const warmupSeconds = Number(values.warmup);
const cartShare = Number(values["cart-share"]);

// The database must be chosen before any module that opens it is loaded. Demo mode: no Shopify credentials.
process.env.DATABASE_URL = values.db;
for (const name of ["SHOPIFY_API_KEY", "SHOPIFY_API_SECRET", "SHOPIFY_APP_URL"]) delete process.env[name];

const { deployMigrations } = await import("./prisma");
const { DEMO_API_SECRET, DEMO_SHOP_DOMAIN } = await import("~/env.server");
const { seedDemoShop } = await import("~/services/demo-shop.server");
const { getServingModel } = await import("~/services/recommendations.server");
const { signAppProxyParams } = await import("~/services/app-proxy-signature.server");
const { handleRecommendationsHttp } = await import("~/services/recommendations-endpoint.server");

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

function listen(handler: Handler): Promise<{ server: http.Server; port: number }> {
  const server = http.createServer(handler);
  server.keepAliveTimeout = 60_000;
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve({ server, port: (server.address() as AddressInfo).port }))
  );
}

function bareHandler(body: Buffer): Handler {
  return (_req, res) => {
    res.writeHead(200, {
      "content-type": "application/json",
      "cache-control": "no-store",
      "content-length": body.length,
    });
    res.end(body);
  };
}

interface LoadResult {
  requests: number;
  errors: number;
  statuses: Record<string, number>;
  seconds: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

// Plain JavaScript so the worker needs no loader; it only speaks HTTP.
const LOAD_GENERATOR = `
const { parentPort, workerData } = require("node:worker_threads");
const http = require("node:http");
const { port, paths, connections, warmupMs, durationMs } = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
let next = 0;
let measuring = false;
let stopped = false;
const latencies = [];
const statuses = {};
let errors = 0;
function one() {
  return new Promise((resolve) => {
    const started = process.hrtime.bigint();
    const req = http.get({ host: "127.0.0.1", port, path: paths[next++ % paths.length], agent }, (res) => {
      res.on("data", () => {});
      res.on("end", () => {
        if (measuring) {
          latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
          statuses[res.statusCode] = (statuses[res.statusCode] || 0) + 1;
        }
        resolve();
      });
    });
    req.on("error", () => { if (measuring) errors++; resolve(); });
  });
}
async function client() { while (!stopped) await one(); }
const clients = Array.from({ length: connections }, client);
setTimeout(() => {
  measuring = true;
  const started = process.hrtime.bigint();
  setTimeout(async () => {
    measuring = false;
    const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
    stopped = true;
    await Promise.all(clients);
    agent.destroy();
    const sorted = Float64Array.from(latencies).sort();
    const at = (p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
    parentPort.postMessage({ requests: sorted.length, errors, statuses, seconds: elapsed,
      p50: at(0.5), p90: at(0.9), p99: at(0.99), max: sorted[sorted.length - 1] });
  }, durationMs);
}, warmupMs);
`;

function runLoad(port: number, paths: string[]): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(LOAD_GENERATOR, {
      eval: true,
      workerData: {
        port,
        paths,
        connections,
        warmupMs: warmupSeconds * 1000,
        durationMs: seconds * 1000,
      },
    });
    worker.once("message", (result: LoadResult) => {
      void worker.terminate();
      resolve(result);
    });
    worker.once("error", reject);
  });
}

function signedPaths(productIds: string[], variantIds: string[], count: number): string[] {
  // Signed just before each run: the app proxy accepts timestamps up to 90 s old.
  const now = new Date();
  let seed = 12345;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)] as T;
  return Array.from({ length: count }, () => {
    const query: Record<string, string> =
      random() < cartShare
        ? {
            placement: "cart",
            variant_ids: [pick(variantIds), pick(variantIds), pick(variantIds)].join(","),
            limit: "4",
          }
        : { placement: "pdp", product_id: pick(productIds), limit: "4" };
    const params = signAppProxyParams(new URLSearchParams(query), {
      shop: DEMO_SHOP_DOMAIN,
      secret: DEMO_API_SECRET,
      now,
    });
    return `/apps/upshelf/recommendations?${params}`;
  });
}

function describe(name: string, result: LoadResult): string {
  const rps = result.requests / result.seconds;
  const statuses = Object.entries(result.statuses)
    .map(([status, count]) => `${status}: ${count}`)
    .join(", ");
  return (
    `${name.padEnd(24)} ${rps.toFixed(0).padStart(7)} req/s   p50 ${result.p50.toFixed(2)} ms   p90 ${result.p90.toFixed(
      2
    )} ms   ` +
    `p99 ${result.p99.toFixed(2)} ms   max ${result.max.toFixed(1)} ms   (${result.requests} requests; ${statuses}; errors ${
      result.errors
    })`
  );
}

async function main(): Promise<void> {
  const setupStarted = performance.now();
  deployMigrations();
  const seeded = await seedDemoShop({ shopId: DEMO_SHOP_DOMAIN });
  const model = await getServingModel(DEMO_SHOP_DOMAIN);
  const productIds = [...model.cards.keys()];
  const variantIds = [...model.variantToProduct.keys()];
  console.log(
    `Demo shop (${path.relative(process.cwd(), values.db.replace(/^file:/, ""))}): ${seeded.products} products, ${
      seeded.orders
    } orders; ` +
      `model ${model.snapshot.version}, feedback learning ${model.settings.learnFromFeedback ? "on" : "off"} ` +
      `(setup ${((performance.now() - setupStarted) / 1000).toFixed(1)} s).`
  );
  console.log(
    `${connections} connections, ${warmupSeconds} s warm-up then ${seconds} s measured per server; ${Math.round(
      cartShare * 100
    )}% cart requests (3 variants), the rest product pages; limit 4.\n`
  );

  const route = await listen(handleRecommendationsHttp);
  const sample = await fetch(`http://127.0.0.1:${route.port}${signedPaths(productIds, variantIds, 1)[0]}`);
  const fixedBody = Buffer.from(await sample.arrayBuffer());
  const bare = await listen(bareHandler(fixedBody));

  const bareResult = await runLoad(bare.port, signedPaths(productIds, variantIds, 5_000));
  console.log(describe("bare node:http", bareResult));
  const routeResult = await runLoad(route.port, signedPaths(productIds, variantIds, 5_000));
  console.log(describe("recommendations route", routeResult));
  const ratio = routeResult.requests / routeResult.seconds / (bareResult.requests / bareResult.seconds);
  console.log(
    `\nThroughput ratio route / bare: ${ratio.toFixed(2)} (target ≥ 0.5); route p99 ${routeResult.p99.toFixed(
      2
    )} ms (target ≤ 10 ms).`
  );
  if (bareResult.p99 > 10) {
    // With every connection always busy, latency is mostly queueing (connections ÷ throughput).
    console.log(`The bare server's own p99 is ${bareResult.p99.toFixed(2)} ms: this machine cannot show a p99 under 10 ms at ${connections} connections.`);
  }
  console.log(`Fixed body of the bare server: ${fixedBody.length} bytes (a real answer of the route).`);
  route.server.close();
  bare.server.close();
  route.server.closeAllConnections();
  bare.server.closeAllConnections();
}

main()
  .then(() => process.exit(0))
  .catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
