export {};
/**
 * Times admin loaders and storefront endpoints against a synthetic shop.
 *   DATABASE_URL=file:/tmp/large-shop.sqlite node --expose-gc --import tsx scripts/experiments/large-shop-timings.ts [filter]
 */
for (const name of ["SHOPIFY_API_KEY", "SHOPIFY_API_SECRET", "SHOPIFY_APP_URL"]) delete process.env[name];
const filter = process.argv[2] ?? "";

const { PrismaClient } = await import("~/generated/prisma/sqlite/client");
const { createDriverAdapter, databaseUrl } = await import("~/db-adapter.server");
const client = new PrismaClient({ adapter: createDriverAdapter(databaseUrl()) as never, log: [{ emit: "event", level: "query" }] });
let queries: { sql: string; ms: number }[] = [];
client.$on("query", (e) => queries.push({ sql: e.query, ms: Number(e.duration) }));
(globalThis as { upshelfDb?: unknown }).upshelfDb = client;

const { DEMO_SHOP_DOMAIN, DEMO_API_SECRET } = await import("~/env.server");
const { signAppProxyParams } = await import("~/services/app-proxy-signature.server");
const shop = DEMO_SHOP_DOMAIN;

function admin(path: string, init?: RequestInit) {
  return new Request(`http://localhost${path}`, init);
}
function proxy(path: string, query: Record<string, string>, init?: RequestInit) {
  const params = signAppProxyParams(new URLSearchParams(query), { shop, secret: DEMO_API_SECRET, now: new Date() });
  return new Request(`http://localhost/proxy${path}?${params}`, init);
}

async function run(label: string, fn: () => Promise<unknown>, repeat = 2) {
  if (filter && !label.includes(filter)) return;
  if (process.env.SKIP && new RegExp(process.env.SKIP).test(label)) return;
  for (let i = 0; i < repeat; i++) {
    (globalThis as { gc?: () => void }).gc?.();
    const rss0 = process.memoryUsage().rss;
    let peak = rss0;
    const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
    queries = [];
    // The process's CPU time beside wall time (SQLite runs in this thread; garbage collection and
    // the loader's threads count too, so on a quiet machine it can exceed wall time): on a machine
    // busy with other work it moves less.
    const cpu0 = process.cpuUsage();
    const t = performance.now();
    let out: unknown;
    try {
      out = await fn();
    } catch (thrown) {
      out = thrown;
    }
    const ms = performance.now() - t;
    const cpu = process.cpuUsage(cpu0);
    clearInterval(timer);
    peak = Math.max(peak, process.memoryUsage().rss);
    let size = 0;
    if (out instanceof Response) size = (await out.clone().text()).length;
    else size = JSON.stringify(out ?? null).length;
    const slow = [...queries].sort((a, b) => b.ms - a.ms).slice(0, 2);
    console.log(
      `${label.padEnd(44)} ${ms.toFixed(0).padStart(6)} ms  cpu ${((cpu.user + cpu.system) / 1000).toFixed(0).padStart(6)} ms  queries ${String(queries.length).padStart(4)}  rss +${((peak - rss0) / 1e6).toFixed(0)} MB  out ${size} B` +
        (out instanceof Response ? ` status ${out.status}` : "") +
        (i === repeat - 1 ? "\n    slowest: " + slow.map((q) => `${q.ms}ms ${q.sql.slice(0, 220)}`).join("\n             ") : ""),
    );
  }
}

const args = (request: Request, params: Record<string, string> = {}) => ({ request, params, context: {} }) as never;
const dash = await import("~/routes/app._index");
const bundles = await import("~/routes/app.bundles._index");
const tiers = await import("~/routes/app.tiers._index");
const ladders = await import("~/routes/app.ladders._index");
const bundleNew = await import("~/routes/app.bundles.new");
const bundleEdit = await import("~/routes/app.bundles.$id");
const apiProducts = await import("~/routes/app.api.products");
const recProducts = await import("~/routes/app.recommendations.products");
const recs = await import("~/routes/app.recommendations");
const holdout = await import("~/routes/app.holdout");
const imp = await import("~/routes/app.import");
const impJob = await import("~/routes/app.import_.$jobId");
const sync = await import("~/routes/app.sync");
const settings = await import("~/routes/app.settings");
const pOffers = await import("~/routes/proxy.offers");
const pPrice = await import("~/routes/proxy.cart.price");
const pRecs = await import("~/routes/proxy.recommendations");
const pEvents = await import("~/routes/proxy.events");
const pVisits = await import("~/routes/proxy.visits");

const db = client;
const bundle = await db.offer.findFirst({ where: { shopId: shop, type: "fixedBundle" } });
const qb = await db.offer.findFirst({ where: { shopId: shop, type: "quantityBreaks" } });
const qbProduct = (JSON.parse(qb!.config) as { eligible: { productIds: string[] } }).eligible.productIds[0]!.split("/").pop()!;
const importJob = await db.job.findFirst({ where: { shopId: shop, kind: "import_orders_csv" }, orderBy: { id: "desc" } });
const popular = ["7000000001", "7000000002", "7000000003"];

await run("dashboard days=7", () => dash.loader(args(admin("/app?days=7"))));
await run("dashboard days=30", () => dash.loader(args(admin("/app?days=30"))));
await run("dashboard days=90", () => dash.loader(args(admin("/app?days=90"))));
await run("bundles list", () => bundles.loader(args(admin("/app/bundles"))));
await run("tiers list", () => tiers.loader(args(admin("/app/tiers"))));
await run("ladders list", () => ladders.loader(args(admin("/app/ladders"))));
await run("bundle new", () => bundleNew.loader(args(admin("/app/bundles/new"))));
await run("bundle edit", () => bundleEdit.loader(args(admin(`/app/bundles/${bundle!.id}`), { id: bundle!.id })));
await run("api.products q=", () => apiProducts.loader(args(admin("/app/api/products"))));
await run("api.products q=mug", () => apiProducts.loader(args(admin("/app/api/products?q=mug"))));
await run("api.products q=SKU-4999-1", () => apiProducts.loader(args(admin("/app/api/products?q=SKU-4999-1"))));
await run("api.products q=zzzz (no match)", () => apiProducts.loader(args(admin("/app/api/products?q=zzzz"))));
await run("rec.products q=mug", () => recProducts.loader(args(admin("/app/recommendations/products?q=mug"))));
await run("rec.products q=zzzz", () => recProducts.loader(args(admin("/app/recommendations/products?q=zzzz"))));
await run("recommendations (preview)", () => recs.loader(args(admin(`/app/recommendations?preview=${popular.join(",")}`))), 3);
await run("holdout", () => holdout.loader(args(admin("/app/holdout"))));
await run("import", () => imp.loader(args(admin("/app/import"))));
await run("import job", () => impJob.loader(args(admin(`/app/import/${importJob!.id}`), { jobId: String(importJob!.id) })));
await run("sync", () => sync.loader(args(admin("/app/sync"))));
await run("settings", () => settings.loader(args(admin("/app/settings"))));
await run("proxy offers", () => pOffers.loader(args(proxy("/offers", { product_id: qbProduct, cart: "40000000001:2,40000000004:1" }))));
const cart = { lines: [{ variant_id: "40000000001", quantity: 2 }, { variant_id: "40000000004", quantity: 1 }, { variant_id: "40000000010", quantity: 3 }] };
await run("proxy cart.price", () => pPrice.action(args(proxy("/cart/price", {}, { method: "POST", body: JSON.stringify(cart), headers: { "content-type": "application/json" } }))));
await run("proxy recommendations pdp", () => pRecs.loader(args(proxy("/recommendations", { placement: "pdp", product_id: popular[0]!, limit: "4" }))), 3);
await run("proxy recommendations cart", () => pRecs.loader(args(proxy("/recommendations", { placement: "cart", variant_ids: "40000000001,40000000004", limit: "4" }))));
const events = { events: [{ kind: "impression", placement: "pdp", anchor: popular[0], product: popular[1], propensity: 0.2, model: "v1" }] };
await run("proxy events", () => pEvents.action(args(proxy("/events", {}, { method: "POST", body: JSON.stringify(events), headers: { "content-type": "application/json" } }))));
await run("proxy visits", () => pVisits.action(args(proxy("/visits", {}, { method: "POST", body: JSON.stringify({ experiment: "abc123", visitor: `visitor${Date.now()}` }), headers: { "content-type": "application/json" } }))));
await db.$disconnect();
process.exit(0);
