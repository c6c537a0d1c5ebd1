import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { describe, expect, it } from "vitest";
import { toShopLocalDateTime } from "~/core/shop-local-time";
import db from "~/db.server";
import { DEMO_DATA_DIR, seedDemoShop } from "./demo-shop.server";

const catalog = JSON.parse(zlib.gunzipSync(fs.readFileSync(path.join(DEMO_DATA_DIR, "catalog.json.gz"))).toString()) as {
  products: Array<{ sku: string; title: string; price: number }>;
};

describe("the bundled demo data", () => {
  it("stores the UK retailer's invoice times as London times: its day looks the same in winter and in summer", () => {
    const orders = JSON.parse(zlib.gunzipSync(fs.readFileSync(path.join(DEMO_DATA_DIR, "orders.json.gz"))).toString()) as Array<{ placedAt: string }>;
    const minutes = { winter: [] as number[], summer: [] as number[] };
    for (const { placedAt } of orders) {
      const local = toShopLocalDateTime(Date.parse(placedAt), "Europe/London");
      const month = Number(local.slice(5, 7));
      const season = month === 12 || month <= 2 ? minutes.winter : month >= 5 && month <= 8 ? minutes.summer : undefined;
      season?.push(Number(local.slice(11, 13)) * 60 + Number(local.slice(14, 16)));
    }
    const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
    expect(minutes.winter.length).toBeGreaterThan(1000);
    expect(minutes.summer.length).toBeGreaterThan(1000);
    // Read as UTC, summer invoices would come out an hour later in London than winter ones.
    expect(Math.abs(mean(minutes.summer) - mean(minutes.winter))).toBeLessThan(15);
  });

  it("has titles as the retailer wrote them: no UTF-8 read as Latin-1 (the source's \"Â£\") left in them", () => {
    const garbled = catalog.products.filter((product) => /[ÂâÃ][\u0080-\u00BF€™œ]/i.test(product.title));
    expect(garbled.map((product) => product.title)).toEqual([]);
    expect(catalog.products.find((product) => product.sku === "22016")?.title).toBe("Dotcomgiftshop Gift Voucher £100.00");
  });
});

describe("seedDemoShop", () => {
  it("seeds the catalog and orders once, and a second run changes nothing", async () => {
    const shopId = `demo-${randomUUID().slice(0, 8)}.myshopify.com`;
    const first = await seedDemoShop({ shopId, maxOrders: 150 });
    expect(first).toEqual({ seeded: true, products: catalog.products.length, orders: 150 });

    const lines = await db.orderLine.count({ where: { shopId } });
    const second = await seedDemoShop({ shopId, maxOrders: 150 });
    expect(second).toEqual({ seeded: false, products: catalog.products.length, orders: 150 });
    expect(await db.orderLine.count({ where: { shopId } })).toBe(lines);
    expect(await db.shop.count({ where: { id: shopId } })).toBe(1);
  });

  it("stores prices in integer minor units with the currency, and links order lines to the catalog", async () => {
    const shopId = `demo-${randomUUID().slice(0, 8)}.myshopify.com`;
    await seedDemoShop({ shopId, maxOrders: 20 });
    const first = catalog.products[0];
    if (!first) throw new Error("the demo catalog is empty");
    const variant = await db.variant.findFirst({ where: { shopId, sku: first.sku }, include: { product: true } });
    expect(variant).toMatchObject({ priceAmount: first.price, currency: "GBP", product: { title: first.title } });
    // The UK retailer's schedules are entered and shown in London time.
    expect(await db.shop.findUniqueOrThrow({ where: { id: shopId } })).toMatchObject({ currency: "GBP", timeZone: "Europe/London", isDemo: true });
    // A demo shop seeded before shops had a zone gets it on the next start, and keeps its data.
    await db.shop.update({ where: { id: shopId }, data: { timeZone: "UTC" } });
    expect(await seedDemoShop({ shopId, maxOrders: 20 })).toMatchObject({ seeded: false, orders: 20 });
    expect(await db.shop.findUniqueOrThrow({ where: { id: shopId } })).toMatchObject({ timeZone: "Europe/London" });

    const orders = await db.order.findMany({ where: { shopId }, include: { lines: true } });
    expect(orders).toHaveLength(20);
    for (const order of orders) {
      expect(order.lines.length).toBeGreaterThan(0);
      expect(order.lines.every((line) => line.productId !== null && line.shopId === shopId)).toBe(true);
      const subtotal = order.lines.reduce((sum, line) => sum + line.quantity * line.unitPriceAmount, 0);
      expect(order.subtotalAmount).toBe(subtotal);
    }
  });
});
