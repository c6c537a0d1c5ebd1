/**
 * A synthetic large shop in a SQLite file.
 *   DATABASE_URL=file:/tmp/large-shop.sqlite npx tsx scripts/experiments/large-shop-generate.ts --products 10000 --orders 100000
 */
import { parseArgs } from "node:util";
import Database from "better-sqlite3";

const { values } = parseArgs({
  options: {
    products: { type: "string", default: "10000" },
    orders: { type: "string", default: "100000" },
    events: { type: "string", default: "500000" },
    deliveries: { type: "string", default: "200000" },
    other: { type: "string", default: "0" },
  },
});
const P = Number(values.products);
const O = Number(values.orders);
const E = Number(values.events);
const W = Number(values.deliveries);

const { deployMigrations } = await import("../prisma");
const { DEMO_SHOP_DOMAIN } = await import("~/env.server");
const { createOffer } = await import("~/models/offer.server");
const { foldForSearch } = await import("~/core/catalog-search");
const { default: db } = await import("~/db.server");
const { sqliteFilePath, databaseUrl } = await import("~/db-adapter.server");

deployMigrations();
const shopId = DEMO_SHOP_DOMAIN;
const other = "other-shop.myshopify.com";
const iso = (ms: number) => new Date(ms).toISOString().replace("Z", "+00:00");
const now = Date.now();
const DAY = 86_400_000;
let seed = 42;
const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
const int = (n: number) => Math.floor(rnd() * n);

await db.shop.create({ data: { id: shopId, name: "Large shop", currency: "USD", isDemo: false, timeZone: "America/New_York" } });
await db.shop.create({ data: { id: other, name: "Other", currency: "USD" } });

const sqlite = new Database(sqliteFilePath(databaseUrl()));
sqlite.pragma("journal_mode = WAL");
sqlite.pragma("synchronous = OFF");

function inserter(table: string, columns: string[]) {
  const stmt = sqlite.prepare(`INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(",")}) VALUES (${columns.map(() => "?").join(",")})`);
  return (row: unknown[]) => stmt.run(...(row as never[]));
}

const t0 = performance.now();
const words = ["Classic", "Organic", "Deluxe", "Mini", "Large", "Blue", "Red", "Green", "Ceramic", "Wooden", "Steel", "Cotton", "Linen", "Vintage", "Modern"];
const nouns = ["Mug", "Candle", "Tea", "Lamp", "Chair", "Vase", "Scarf", "Bag", "Notebook", "Pen", "Plate", "Bowl", "Towel", "Pillow", "Rug"];
const V = 3;
const insertProduct = inserter("Product", ["id", "shopId", "shopifyId", "handle", "title", "titleFolded", "productType", "vendor", "tags", "status", "publishedAt", "createdAt", "updatedAt"]);
const insertVariant = inserter("Variant", ["id", "shopId", "productId", "shopifyId", "title", "sku", "priceAmount", "currency", "inventoryQuantity", "createdAt", "updatedAt"]);
const price = (p: number, v: number) => 500 + ((p * 37 + v * 11) % 9500);
sqlite.transaction(() => {
  for (let p = 1; p <= P; p++) {
    const title = `${words[p % words.length]} ${words[(p >> 3) % words.length]} ${nouns[(p >> 1) % nouns.length]} ${p}`;
    const t = iso(now - 800 * DAY);
    insertProduct([p, shopId, String(7_000_000_000 + p), `product-${p}`, title, foldForSearch(title), `Type ${p % 40}`, `Vendor ${p % 25}`, "a,b", "active", t, t, t]);
    for (let v = 0; v < V; v++) {
      const id = (p - 1) * V + v + 1;
      insertVariant([id, shopId, p, String(40_000_000_000 + id), v === 0 ? "Small" : v === 1 ? "Medium" : "Large", `SKU-${p}-${v}`, price(p, v), "USD", 10 + (id % 50), t, t]);
    }
  }
})();
console.log(`products ${P} (+${P * V} variants) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

// Offers, via the app.
const offerIds: string[] = [];
const gidP = (p: number) => `gid://shopify/Product/${7_000_000_000 + p}`;
for (let i = 0; i < 30; i++) {
  const a = 1 + int(P);
  const b = 1 + int(P);
  const inputs: Record<string, unknown>[] = [
    { type: "quantityBreaks", title: `Multibuy ${i}`, status: "active", eligible: { productIds: [gidP(a)] }, tiers: [{ minQuantity: 2, value: { kind: "percentage", percent: 10 } }] },
    { type: "fixedBundle", title: `Bundle ${i}`, status: "active", items: [{ ref: { productId: gidP(a) }, quantity: 1 }, { ref: { productId: gidP(b) }, quantity: 1 }], pricing: { kind: "percentage", percent: 10 } },
    { type: "upgradeLadder", title: `Ladder ${i}`, status: "active", steps: [{ ref: { productId: gidP(a) }, label: "A" }, { ref: { productId: gidP(b) }, label: "B" }], incentive: { kind: "amountOffEach", amount: { amount: 100, currency: "USD" } } },
  ];
  const saved = await createOffer(shopId, inputs[i % 3]!);
  if (!saved.ok) throw new Error(JSON.stringify(saved.issues));
  offerIds.push(saved.offer.id);
}
const spend = await createOffer(shopId, { type: "spendTiers", title: "Spend", status: "active", tiers: [{ minSubtotal: { amount: 5000, currency: "USD" }, value: { kind: "percentage", percent: 10 } }] });
if (!spend.ok) throw new Error("spend");
offerIds.push(spend.offer.id);

// Holdout test running for the last 60 days.
const expStart = now - 60 * DAY;
const experiment = await db.experiment.create({ data: { shopId, key: "abc123", holdoutBasisPoints: 1000, startedAt: new Date(expStart) } });

const t1 = performance.now();
const insertOrder = inserter("Order", ["id", "shopId", "shopifyId", "name", "currency", "subtotalAmount", "totalAmount", "discountAmount", "refundedAmount", "customerId", "cancelledAt", "placedAt", "experimentKey", "experimentVisitor", "createdAt", "updatedAt"]);
const insertLine = inserter("OrderLine", ["shopId", "orderId", "productId", "variantId", "shopifyProductId", "shopifyVariantId", "sku", "title", "quantity", "unitPriceAmount", "discountAmount", "refundedAmount", "refundedQuantity", "currency", "upshelfOffer", "upshelfPlacement"]);
const placements = ["pdp", "cart", "post_purchase", "thank_you"];
let lineCount = 0;
const span = 730 * DAY;
const CHUNK = 20_000;
for (let start = 1; start <= O; start += CHUNK) {
  sqlite.transaction(() => {
    for (let o = start; o < Math.min(O + 1, start + CHUNK); o++) {
      const placedAt = now - span + Math.floor((o / O) * span) - int(3_600_000);
      const n = 1 + int(5);
      let subtotal = 0;
      const lines: unknown[][] = [];
      // Popularity skewed: a few products sell a lot.
      for (let l = 0; l < n; l++) {
        const p = 1 + Math.floor(P * rnd() ** 2);
        const v = int(V);
        const vid = (p - 1) * V + v + 1;
        const unit = price(p, v);
        const q = 1 + int(2);
        subtotal += unit * q;
        const attributed = rnd() < 0.04;
        const offer = attributed ? (rnd() < 0.5 ? offerIds[int(offerIds.length)]! : "recommendation") : null;
        lines.push([shopId, o, p, vid, String(7_000_000_000 + p), String(40_000_000_000 + vid), `SKU-${p}-${v}`, `Product ${p}`, q, unit, 0, 0, 0, "USD", offer, attributed ? placements[int(4)]! : null]);
      }
      const refunded = rnd() < 0.03 ? Math.floor(subtotal / 2) : 0;
      const inExp = placedAt >= expStart && rnd() < 0.3;
      insertOrder([o, shopId, String(5_000_000_000 + o), `#${1000 + o}`, "USD", subtotal, subtotal, 0, refunded, `c${int(O / 3)}`, rnd() < 0.01 ? iso(placedAt + DAY) : null, iso(placedAt), inExp ? "abc123" : null, inExp ? `v${int(O)}` : null, iso(placedAt), iso(placedAt)]);
      for (const line of lines) insertLine(line);
      lineCount += lines.length;
    }
  })();
}
console.log(`orders ${O}, lines ${lineCount} in ${((performance.now() - t1) / 1000).toFixed(1)} s`);

const t2 = performance.now();
const insertEvent = inserter("WidgetEvent", ["shopId", "kind", "placement", "anchorProductId", "productId", "offerId", "propensity", "modelVersion", "occurredAt", "createdAt"]);
const kinds = ["impression", "impression", "impression", "impression", "click", "add_to_cart", "offer_shown", "offer_accepted"];
for (let start = 0; start < E; start += 50_000) {
  sqlite.transaction(() => {
    for (let e = start; e < Math.min(E, start + 50_000); e++) {
      const at = now - 365 * DAY + Math.floor((e / E) * 365 * DAY);
      const kind = kinds[int(kinds.length)]!;
      const offer = kind.startsWith("offer") ? offerIds[int(offerIds.length)]! : null;
      insertEvent([shopId, kind, placements[int(2)]!, String(7_000_000_000 + 1 + int(P)), String(7_000_000_000 + 1 + int(P)), offer, 0.25, "v1", iso(at), iso(at)]);
    }
  })();
}
console.log(`widget events ${E} in ${((performance.now() - t2) / 1000).toFixed(1)} s`);

const t3 = performance.now();
const insertDelivery = inserter("WebhookDelivery", ["shopId", "webhookId", "topic", "payload", "status", "attempts", "receivedAt", "processedAt"]);
const payload = JSON.stringify({ id: 1, line_items: Array.from({ length: 3 }, (_, i) => ({ id: i, title: "x".repeat(200) })) });
for (let start = 0; start < W; start += 50_000) {
  sqlite.transaction(() => {
    for (let w = start; w < Math.min(W, start + 50_000); w++) {
      const at = now - 365 * DAY + Math.floor((w / W) * 365 * DAY);
      insertDelivery([shopId, `wh-${w}`, w % 3 === 0 ? "products/update" : "orders/create", payload, "done", 1, iso(at), iso(at + 1000)]);
    }
  })();
}
console.log(`webhook deliveries ${W} in ${((performance.now() - t3) / 1000).toFixed(1)} s`);

// Holdout visitors: one per distinct visitor of the test's orders, plus some.
const insertVisitor = inserter("ExperimentVisitor", ["shopId", "experimentId", "visitorKey", "group", "firstSeenAt"]);
sqlite.transaction(() => {
  const seen = new Set<string>();
  for (const row of sqlite.prepare(`SELECT experimentVisitor FROM "Order" WHERE experimentKey = 'abc123'`).all() as { experimentVisitor: string }[]) {
    if (seen.has(row.experimentVisitor) || rnd() < 0.1) continue;
    seen.add(row.experimentVisitor);
    insertVisitor([shopId, experiment.id, row.experimentVisitor, rnd() < 0.1 ? "holdout" : "shown", iso(expStart)]);
  }
  console.log(`experiment visitors ${seen.size}`);
})();

// Some jobs.
const insertJob = inserter("Job", ["shopId", "kind", "status", "input", "result", "progressDone", "createdAt", "updatedAt"]);
sqlite.transaction(() => {
  for (let j = 0; j < 2000; j++) {
    const at = iso(now - 365 * DAY + j * 4 * 3_600_000);
    insertJob([shopId, j % 10 === 0 ? "import_orders_csv" : j % 2 ? "rebuild_recommendations" : "catalog_sync", "done", "{}", "{}", 1, at, at]);
  }
})();
sqlite.close();
console.log(`total ${((performance.now() - t0) / 1000).toFixed(1)} s`);
await db.$disconnect();
