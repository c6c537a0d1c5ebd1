/**
 * Derives the bundled demo shop from the UCI Online Retail transactions (CC BY 4.0, see
 * data/demo-shop/README.md) and writes it in compact form to data/demo-shop/. Run once by a
 * maintainer; the output is committed so a fresh clone needs neither the source file nor a network.
 *
 *   npm run demo:build-data -- [path/to/online-retail.csv]
 *
 * Catalog: one product per stock code with the most common description as its title and the most
 * common unit price as its price. The source has no product types; we derive one only where the
 * description's last word names a kind of item shared by many products (e.g. "... T-LIGHT HOLDER"
 * -> "Holder"), and leave it empty otherwise. Orders: one per invoice, cancellations and
 * non-product lines (the same codes the order-file parser drops) removed, as data/README.md prescribes.
 * Descriptions whose UTF-8 was once read as Latin-1 in the source ("Â£" for "£") are repaired.
 */
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { parse } from "csv-parse";
import { parseDecimalToMinor } from "../app/core/money";
import { repairMojibake } from "../app/services/order-files/mojibake";
import { isUciProductCode } from "../app/services/order-files/parse-uci-online-retail";
import { parseTimestamp } from "../app/services/order-files/timestamps";

const root = path.resolve(import.meta.dirname, "..");
const source = process.argv[2] ?? path.resolve(root, "../shared/data/online-retail/online-retail-2010-12_2011-08.csv");
const outDir = path.join(root, "data", "demo-shop");

// The UCI retailer is in the UK and its invoice times are its wall-clock times; the demo shop
// runs in the same zone, so summer invoices are an hour ahead of UTC.
const SHOP_TIME_ZONE = "Europe/London";
const MIN_PRODUCTS_PER_TYPE = 12;
// Plural and spelling variants that should share a type.
const TYPE_SYNONYMS: Record<string, string> = {
  BAGS: "BAG", MUGS: "MUG", CANDLES: "CANDLE", CARDS: "CARD", SIGNS: "SIGN", BOXES: "BOX",
  TINS: "TIN", NAPKINS: "NAPKIN", LIGHTS: "LIGHT", STICKERS: "STICKER", DECORATIONS: "DECORATION",
  MAGNETS: "MAGNET", COASTERS: "COASTER", PLATES: "PLATE", CUPS: "CUP", BOWLS: "BOWL",
  HOLDERS: "HOLDER", FRAMES: "FRAME", BOTTLES: "BOTTLE", CUSHIONS: "CUSHION", BASKETS: "BASKET",
  NOTEBOOKS: "NOTEBOOK", PENCILS: "PENCIL", ORNAMENTS: "ORNAMENT", HOOKS: "HOOK", CASES: "CASE",
};

const NOT_A_TYPE = new Set(
  ("RED BLUE PINK GREEN WHITE BLACK IVORY CREAM PURPLE ORANGE YELLOW GOLD SILVER BROWN GREY TURQUOISE LILAC " +
    "AMBER CLEAR RETROSPOT POLKADOT SPOTTY SPOT STRIPE STRIPES DESIGN DESIGNS ASSORTED ASST COLOUR COLOURS " +
    "SMALL LARGE MINI JUMBO GIANT MEDIUM SET PACK VINTAGE FLOWER FLOWERS HEART HEARTS GARDEN ROSE ROSES " +
    "DOLLY GIRL CHRISTMAS SKULL SKULLS PAISLEY BIRD BIRDS LOVE WOODLAND SPACEBOY RABBIT OWL CAKE TEA " +
    "HANGING WICKER METAL APPLES COTTAGE FONT CRYSTAL GLASS WOODEN ZINC ENAMEL")
    .split(" "),
);

interface Row {
  InvoiceNo: string;
  StockCode: string;
  Description: string;
  Quantity: string;
  InvoiceDate: string;
  UnitPrice: string;
  CustomerID: string;
}

function titleCase(description: string): string {
  return description
    .trim()
    .replace(/\s+/g, " ")
    .toLowerCase()
    .replace(/(^|[\s/(-])([a-z])/g, (_m, sep: string, ch: string) => sep + ch.toUpperCase());
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
}

function mostCommon<T>(counts: Map<T, number>): T {
  let best: T | undefined;
  let bestCount = -1;
  for (const [value, count] of counts) {
    if (count > bestCount) {
      best = value;
      bestCount = count;
    }
  }
  return best as T;
}

function bump<T>(map: Map<T, number>, key: T, by = 1): void {
  map.set(key, (map.get(key) ?? 0) + by);
}

async function main(): Promise<void> {
  const descriptions = new Map<string, Map<string, number>>();
  const prices = new Map<string, Map<number, number>>();
  const invoices = new Map<string, { placedAt: string; customer: string; lines: Map<string, [number, number]> }>();

  const parser = fs.createReadStream(source).pipe(parse({ columns: true, skip_empty_lines: true }));
  for await (const row of parser as AsyncIterable<Row>) {
    const code = row.StockCode.trim().toUpperCase();
    const quantity = Number(row.Quantity);
    if (row.InvoiceNo.startsWith("C") || !isUciProductCode(code) || !(quantity > 0)) continue;
    let unitPrice: number;
    try {
      unitPrice = parseDecimalToMinor(row.UnitPrice, "GBP");
    } catch {
      continue; // sub-penny prices are accounting artefacts, not sales
    }
    if (unitPrice <= 0) continue;
    // A few descriptions hold UTF-8 that was once read as Latin-1 ("Gift Voucher Â£100.00"):
    // repaired before title-casing, which would turn "Â£" into "â£".
    const description = repairMojibake(row.Description.trim());
    if (description) {
      const seen = descriptions.get(code) ?? new Map<string, number>();
      bump(seen, description);
      descriptions.set(code, seen);
    }
    const seenPrices = prices.get(code) ?? new Map<number, number>();
    bump(seenPrices, unitPrice, quantity);
    prices.set(code, seenPrices);

    const placedAt = parseTimestamp(row.InvoiceDate, SHOP_TIME_ZONE);
    if (placedAt === undefined) throw new Error(`Invoice ${row.InvoiceNo} has an unreadable date: ${row.InvoiceDate}`);
    const invoice = invoices.get(row.InvoiceNo) ?? {
      placedAt: new Date(placedAt).toISOString().replace(".000Z", "Z"),
      customer: row.CustomerID.trim(),
      lines: new Map<string, [number, number]>(),
    };
    const line = invoice.lines.get(code);
    // The same item twice on one invoice is one line with the quantities added.
    if (line) line[0] += quantity;
    else invoice.lines.set(code, [quantity, unitPrice]);
    invoices.set(row.InvoiceNo, invoice);
  }

  const codes = [...prices.keys()].filter((code) => descriptions.has(code)).sort();
  const titles = new Map(codes.map((code) => [code, mostCommon(descriptions.get(code) ?? new Map<string, number>())]));

  const lastWords = new Map<string, number>();
  // The kind of item is usually the last noun: skip trailing colours, sizes and pattern names.
  const typeOf = (title: string): string => {
    const words = title.toUpperCase().split(/[\s,]+/).filter((word) => /^[A-Z-]{3,}$/.test(word));
    const noun = words.reverse().find((word) => !NOT_A_TYPE.has(word)) ?? "";
    return TYPE_SYNONYMS[noun] ?? noun;
  };
  for (const code of codes) bump(lastWords, typeOf(titles.get(code) ?? ""));

  const handles = new Set<string>();
  const products = codes.map((code, index) => {
    const title = titleCase(titles.get(code) ?? code);
    const type = typeOf(titles.get(code) ?? "");
    let handle = slug(title) || slug(code);
    if (handles.has(handle)) handle = `${handle}-${slug(code)}`;
    handles.add(handle);
    return {
      sku: code,
      handle,
      title,
      productType: type && (lastWords.get(type) ?? 0) >= MIN_PRODUCTS_PER_TYPE ? titleCase(type) : "",
      price: mostCommon(prices.get(code) ?? new Map<number, number>()),
      index,
    };
  });
  const indexOf = new Map(products.map((product) => [product.sku, product.index]));

  const orders = [...invoices.entries()]
    .map(([invoice, { placedAt, customer, lines }]) => ({
      id: invoice,
      placedAt,
      customer: customer || null,
      // [product index, quantity, unit price in pence]
      lines: [...lines.entries()]
        .filter(([code]) => indexOf.has(code))
        .map(([code, [quantity, price]]) => [indexOf.get(code), quantity, price]),
    }))
    .filter((order) => order.lines.length > 0)
    .sort((a, b) => a.placedAt.localeCompare(b.placedAt) || a.id.localeCompare(b.id));

  fs.mkdirSync(outDir, { recursive: true });
  const catalog = {
    shop: { name: "Upshelf Demo Gift Shop", currency: "GBP", timeZone: SHOP_TIME_ZONE },
    products: products.map(({ index: _index, ...product }) => product),
  };
  fs.writeFileSync(path.join(outDir, "catalog.json.gz"), zlib.gzipSync(JSON.stringify(catalog), { level: 9 }));
  fs.writeFileSync(path.join(outDir, "orders.json.gz"), zlib.gzipSync(JSON.stringify(orders), { level: 9 }));
  const typed = products.filter((product) => product.productType).length;
  console.log(
    `${products.length} products (${typed} with a derived type), ${orders.length} orders, ` +
      `${orders.reduce((n, order) => n + order.lines.length, 0)} order lines written to ${path.relative(root, outDir)}/`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
