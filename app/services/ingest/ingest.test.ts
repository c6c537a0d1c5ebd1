import { describe, expect, it } from "vitest";
import db from "~/db.server";
import { createTestShop } from "../../../tests/factories/shop";
import { deleteProduct, ingestOrders, IngestError, setInventory, upsertProducts, type IncomingOrder, type IncomingProduct } from "./index";

function mug(overrides: Partial<IncomingProduct> = {}): IncomingProduct {
  return {
    shopifyId: "101",
    handle: "enamel-mug",
    title: "Enamel Mug",
    productType: "Kitchen",
    vendor: "Upshelf Test",
    tags: ["mug", " camping "],
    status: "active",
    publishedAt: new Date("2024-02-01T00:00:00Z"),
    variants: [
      { shopifyId: "1011", title: "Blue", sku: "MUG-BLUE", price: 1200, currency: "USD", inventoryQuantity: 5 },
      { shopifyId: "1012", title: "Red", sku: "MUG-RED", price: 1200, compareAtPrice: 1500, currency: "USD", inventoryQuantity: 0 },
    ],
    ...overrides,
  };
}

function kettle(): IncomingProduct {
  return {
    shopifyId: "202",
    handle: "kettle",
    title: "Camp Kettle",
    variants: [{ shopifyId: "2021", sku: "KET-1", price: 3500, currency: "USD" }],
  };
}

function order(overrides: Partial<IncomingOrder> = {}): IncomingOrder {
  return {
    shopifyId: "5001",
    name: "#1001",
    currency: "USD",
    subtotal: 4700,
    total: 4700,
    customerId: "777",
    placedAt: new Date("2024-03-01T10:00:00Z"),
    lines: [
      { shopifyProductId: "101", shopifyVariantId: "1011", sku: "MUG-BLUE", title: "Enamel Mug", quantity: 1, unitPrice: 1200 },
      { title: "Camp Kettle", quantity: 1, unitPrice: 3500, properties: { _upshelf_offer: "offer_1", _upshelf_placement: "pdp", gift: "yes" } },
    ],
    ...overrides,
  };
}

async function storedProduct(shopId: string, shopifyId: string) {
  return db.product.findUniqueOrThrow({
    where: { shopId_shopifyId: { shopId, shopifyId } },
    include: { variants: { orderBy: { shopifyId: "asc" } } },
  });
}

describe("upsertProducts", () => {
  it("GIVEN new products WHEN upserted THEN stores products and variants with every field", async () => {
    const shop = await createTestShop();
    const result = await upsertProducts(shop.id, [mug(), kettle()]);
    expect(result).toEqual({ created: 2, updated: 0, unchanged: 0, older: 0 });
    const stored = await storedProduct(shop.id, "101");
    expect(stored).toMatchObject({ handle: "enamel-mug", title: "Enamel Mug", productType: "Kitchen", vendor: "Upshelf Test", tags: "mug, camping", status: "active" });
    expect(stored.variants.map((v) => [v.shopifyId, v.title, v.sku, v.priceAmount, v.compareAtAmount, v.inventoryQuantity])).toEqual([
      ["1011", "Blue", "MUG-BLUE", 1200, null, 5],
      ["1012", "Red", "MUG-RED", 1200, 1500, 0],
    ]);
  });

  it("GIVEN stored products WHEN the same payload arrives again THEN nothing is rewritten", async () => {
    const shop = await createTestShop();
    await upsertProducts(shop.id, [mug(), kettle()]);
    const before = await storedProduct(shop.id, "101");
    await new Promise((resolve) => setTimeout(resolve, 20));
    const result = await upsertProducts(shop.id, [mug(), kettle()]);
    expect(result).toEqual({ created: 0, updated: 0, unchanged: 2, older: 0 });
    const after = await storedProduct(shop.id, "101");
    expect(after.updatedAt.getTime()).toBe(before.updatedAt.getTime());
    expect(after.variants.map((v) => v.updatedAt.getTime())).toEqual(before.variants.map((v) => v.updatedAt.getTime()));
  });

  it("GIVEN a full product payload without one variant WHEN upserted THEN that variant is removed and changes are applied", async () => {
    const shop = await createTestShop();
    await upsertProducts(shop.id, [mug()]);
    const [blue] = mug().variants;
    const result = await upsertProducts(shop.id, [mug({ title: "Enamel Mug 2", variants: [{ ...blue!, price: 1100, inventoryQuantity: undefined }] })]);
    expect(result).toEqual({ created: 0, updated: 1, unchanged: 0, older: 0 });
    const stored = await storedProduct(shop.id, "101");
    expect(stored.title).toBe("Enamel Mug 2");
    // undefined inventory keeps what was stored
    expect(stored.variants.map((v) => [v.shopifyId, v.priceAmount, v.inventoryQuantity])).toEqual([["1011", 1100, 5]]);
  });

  it("GIVEN a partial variant list WHEN upserted THEN unlisted variants are kept", async () => {
    const shop = await createTestShop();
    await upsertProducts(shop.id, [mug()]);
    const [blue] = mug().variants;
    await upsertProducts(shop.id, [mug({ partialVariants: true, variants: [{ ...blue!, inventoryQuantity: 9 }] })]);
    const stored = await storedProduct(shop.id, "101");
    expect(stored.variants.map((v) => [v.shopifyId, v.inventoryQuantity])).toEqual([["1011", 9], ["1012", 0]]);
  });

  it("GIVEN two products that swap handles WHEN upserted together THEN both handles are stored without a conflict", async () => {
    const shop = await createTestShop();
    await upsertProducts(shop.id, [mug(), kettle()]);
    const result = await upsertProducts(shop.id, [mug({ handle: "kettle" }), { ...kettle(), handle: "enamel-mug" }]);
    expect(result.updated).toBe(2);
    expect((await storedProduct(shop.id, "101")).handle).toBe("kettle");
    expect((await storedProduct(shop.id, "202")).handle).toBe("enamel-mug");
  });

  it("GIVEN a stale product holding a handle WHEN another product takes it THEN the stale one gets a placeholder", async () => {
    const shop = await createTestShop();
    await upsertProducts(shop.id, [mug()]);
    await upsertProducts(shop.id, [{ ...kettle(), handle: "enamel-mug" }]);
    expect((await storedProduct(shop.id, "101")).handle).toBe("enamel-mug--101");
    expect((await storedProduct(shop.id, "202")).handle).toBe("enamel-mug");
  });

  it("GIVEN a product known only from a products CSV WHEN Shopify sends its handle THEN that row takes Shopify's ids, with its variants and order lines", async () => {
    const shop = await createTestShop();
    await upsertProducts(shop.id, [
      mug({
        shopifyId: "csv:enamel-mug",
        variants: [
          { shopifyId: "csv:enamel-mug/MUG-BLUE", title: "Blue", sku: "MUG-BLUE", price: 1200, currency: "USD" },
          // No SKU in the file: keyed by its option values, matched by title.
          { shopifyId: "csv:enamel-mug/Red", title: "Red", sku: null, price: 1200, currency: "USD" },
        ],
      }),
    ]);
    const before = await storedProduct(shop.id, "csv:enamel-mug");
    await ingestOrders(shop.id, [
      order({
        lines: [
          { sku: "MUG-BLUE", title: "Enamel Mug - Blue", quantity: 1, unitPrice: 1200 },
          { title: "Enamel Mug - Red", quantity: 1, unitPrice: 1200 },
        ],
      }),
    ]);
    const linesBefore = await db.orderLine.findMany({ where: { shopId: shop.id }, orderBy: { id: "asc" } });
    expect(linesBefore.map((line) => [line.shopifyProductId, line.shopifyVariantId])).toEqual([
      ["csv:enamel-mug", "csv:enamel-mug/MUG-BLUE"],
      ["csv:enamel-mug", "csv:enamel-mug/Red"],
    ]);

    expect(await upsertProducts(shop.id, [mug(), kettle()])).toMatchObject({ created: 1, updated: 1 });
    const after = await storedProduct(shop.id, "101");
    expect(after.id).toBe(before.id);
    expect(after.handle).toBe("enamel-mug");
    expect(after.variants.map((variant) => [variant.shopifyId, variant.sku])).toEqual([["1011", "MUG-BLUE"], ["1012", "MUG-RED"]]);
    expect(after.variants.map((variant) => variant.id).sort()).toEqual(before.variants.map((variant) => variant.id).sort());
    expect(await db.product.count({ where: { shopId: shop.id } })).toBe(2);
    const lines = await db.orderLine.findMany({ where: { shopId: shop.id }, orderBy: { id: "asc" } });
    expect(lines.map((line) => [line.productId, line.shopifyProductId, line.shopifyVariantId])).toEqual([
      [before.id, "101", "1011"],
      [before.id, "101", "1012"],
    ]);
  });

  it("GIVEN Shopify's product stored already WHEN a stale CSV row holds its handle THEN the CSV row is set aside, not merged", async () => {
    const shop = await createTestShop();
    await upsertProducts(shop.id, [mug()]);
    await upsertProducts(shop.id, [mug({ shopifyId: "csv:enamel-mug", handle: "enamel-mug-2", variants: [{ shopifyId: "csv:enamel-mug-2/X", price: 100, currency: "USD" }] })]);
    await db.product.update({ where: { shopId_shopifyId: { shopId: shop.id, shopifyId: "101" } }, data: { handle: "old-mug" } });
    await db.product.update({ where: { shopId_shopifyId: { shopId: shop.id, shopifyId: "csv:enamel-mug" } }, data: { handle: "enamel-mug" } });
    await upsertProducts(shop.id, [mug()]);
    expect((await storedProduct(shop.id, "101")).handle).toBe("enamel-mug");
    expect((await storedProduct(shop.id, "csv:enamel-mug")).handle).toBe("enamel-mug--csv:enamel-mug");
  });

  it("GIVEN a source that does not own a stored product (a CSV row for a product Shopify syncs) THEN it only fills what is empty, and creates nothing", async () => {
    const shop = await createTestShop();
    await upsertProducts(shop.id, [mug({ vendor: "", tags: [] })]);
    const result = await upsertProducts(shop.id, [
      mug({
        fillEmptyOnly: true,
        partialVariants: true,
        title: "Old Mug",
        description: "Enamel.",
        productType: "Old type",
        vendor: "Acme",
        tags: ["gift"],
        status: "draft",
        publishedAt: null,
        imageUrl: "https://img.example/mug.png",
        variants: [
          { shopifyId: "1011", title: "Old Blue", sku: "OLD", price: 900, compareAtPrice: 1100, currency: "USD", inventoryQuantity: 0, inventoryPolicy: "continue" },
          { shopifyId: "csv:enamel-mug/MUG-XL", title: "XL", sku: "MUG-XL", price: 1500, currency: "USD", inventoryQuantity: 9 },
        ],
      }),
      // Matched once, deleted since: a file does not bring it back.
      { ...kettle(), shopifyId: "303", handle: "gone-kettle", fillEmptyOnly: true },
    ]);
    expect(result).toEqual({ created: 0, updated: 1, unchanged: 0, older: 1 });
    const stored = await storedProduct(shop.id, "101");
    expect(stored).toMatchObject({
      title: "Enamel Mug",
      productType: "Kitchen",
      status: "active",
      publishedAt: new Date("2024-02-01T00:00:00Z"),
      // Empty before: filled.
      description: "Enamel.",
      vendor: "Acme",
      tags: "gift",
      imageUrl: "https://img.example/mug.png",
    });
    expect(stored.variants.map((v) => [v.shopifyId, v.title, v.sku, v.priceAmount, v.compareAtAmount, v.inventoryQuantity, v.inventoryPolicy])).toEqual([
      ["1011", "Blue", "MUG-BLUE", 1200, null, 5, "deny"],
      ["1012", "Red", "MUG-RED", 1200, 1500, 0, "deny"],
    ]);
    expect(await db.product.count({ where: { shopId: shop.id, shopifyId: "303" } })).toBe(0);
  });

  it("GIVEN invalid input WHEN upserted THEN nothing is stored and every problem is named", async () => {
    const shop = await createTestShop();
    const bad = mug({ variants: [{ shopifyId: "1", price: 12.5, currency: "usd" }] });
    const error = await upsertProducts(shop.id, [kettle(), bad]).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(IngestError);
    expect((error as IngestError).problems).toEqual([
      "product 2 (101): variant 1 price 12.5 is not a non-negative whole amount in minor units of at most 2147483647",
      'product 2 (101): variant 1 currency "usd" is not an ISO 4217 code',
    ]);
    expect(await db.product.count({ where: { shopId: shop.id } })).toBe(0);
  });

  it("keeps shops apart: the same Shopify ids in two shops are two products", async () => {
    const [a, b] = [await createTestShop(), await createTestShop()];
    await upsertProducts(a.id, [mug()]);
    expect(await upsertProducts(b.id, [mug()])).toEqual({ created: 1, updated: 0, unchanged: 0, older: 0 });
    await deleteProduct(a.id, "101");
    expect(await db.product.count({ where: { shopId: b.id } })).toBe(1);
  });
});

describe("deleteProduct and setInventory", () => {
  it("deletes the product and its variants; order lines keep the ids they named", async () => {
    const shop = await createTestShop();
    await upsertProducts(shop.id, [mug(), kettle()]);
    await ingestOrders(shop.id, [order()]);
    expect(await deleteProduct(shop.id, "101")).toBe(true);
    expect(await deleteProduct(shop.id, "101")).toBe(false);
    expect(await db.variant.count({ where: { shopId: shop.id, shopifyId: { in: ["1011", "1012"] } } })).toBe(0);
    const line = await db.orderLine.findFirstOrThrow({ where: { shopId: shop.id, shopifyVariantId: "1011" } });
    expect(line).toMatchObject({ productId: null, variantId: null, shopifyProductId: "101" });
  });

  it("sets a variant's quantity (null for untracked) and reports unknown variants", async () => {
    const shop = await createTestShop();
    await upsertProducts(shop.id, [mug()]);
    expect(await setInventory(shop.id, "1012", 7)).toBe(true);
    expect(await setInventory(shop.id, "1011", null)).toBe(true);
    expect(await setInventory(shop.id, "999", 3)).toBe(false);
    const stored = await storedProduct(shop.id, "101");
    expect(stored.variants.map((v) => v.inventoryQuantity)).toEqual([null, 7]);
  });
});

describe("ingestOrders", () => {
  it("GIVEN a catalog WHEN an order arrives THEN it is stored with lines matched and attribution kept", async () => {
    const shop = await createTestShop();
    await upsertProducts(shop.id, [mug(), kettle()]);
    const result = await ingestOrders(shop.id, [order()]);
    expect(result).toMatchObject({ created: 1, updated: 0, skipped: 0 });
    expect(result.createdOrders).toEqual([
      { id: "5001", placedAt: new Date("2024-03-01T10:00:00Z"), cancelled: false, lines: [{ productId: "101", quantity: 1 }, { productId: "202", quantity: 1 }] },
    ]);
    const stored = await db.order.findUniqueOrThrow({
      where: { shopId_shopifyId: { shopId: shop.id, shopifyId: "5001" } },
      include: { lines: { orderBy: { id: "asc" }, include: { variant: true, product: true } } },
    });
    expect(stored).toMatchObject({ name: "#1001", subtotalAmount: 4700, totalAmount: 4700, customerId: "777" });
    expect(stored.lines.map((l) => [l.product?.shopifyId, l.variant?.shopifyId, l.sku, l.upshelfOffer, l.upshelfPlacement])).toEqual([
      ["101", "1011", "MUG-BLUE", null, null],
      // matched by exact title; the product's only variant is known
      ["202", "2021", "KET-1", "offer_1", "pdp"],
    ]);
  });

  it("matches by variant id, then SKU, then product id, then title, then 'Product - Variant' title", async () => {
    const shop = await createTestShop();
    await upsertProducts(shop.id, [mug(), kettle()]);
    const line = (fields: Partial<IncomingOrder["lines"][number]>) => ({ title: "?", quantity: 1, unitPrice: 100, ...fields });
    await ingestOrders(shop.id, [
      order({
        lines: [
          line({ shopifyVariantId: "1012", sku: "KET-1", shopifyProductId: "202", title: "Camp Kettle" }),
          line({ shopifyVariantId: "gone", sku: "MUG-RED", shopifyProductId: "202" }),
          line({ shopifyVariantId: "gone", sku: "NOPE", shopifyProductId: "202", title: "Enamel Mug" }),
          line({ title: "Enamel Mug" }),
          line({ title: "Enamel Mug - Red" }),
          line({ shopifyProductId: "999", shopifyVariantId: "9991", title: "Deleted thing" }),
        ],
      }),
    ]);
    const lines = await db.orderLine.findMany({ where: { shopId: shop.id }, orderBy: { id: "asc" }, include: { variant: true, product: true } });
    expect(lines.map((l) => [l.product?.shopifyId ?? null, l.variant?.shopifyId ?? null, l.shopifyProductId, l.shopifyVariantId])).toEqual([
      ["101", "1012", "101", "1012"],
      ["101", "1012", "101", "1012"],
      ["202", null, "202", "gone"],
      ["101", null, "101", null],
      ["101", "1012", "101", "1012"],
      [null, null, "999", "9991"],
    ]);
  });

  it("does not guess when a SKU or title names two products", async () => {
    const shop = await createTestShop();
    await upsertProducts(shop.id, [
      { shopifyId: "1", handle: "a", title: "Twin", variants: [{ shopifyId: "11", sku: "DUP", price: 1, currency: "USD" }] },
      { shopifyId: "2", handle: "b", title: "Twin", variants: [{ shopifyId: "21", sku: "DUP", price: 1, currency: "USD" }] },
    ]);
    await ingestOrders(shop.id, [order({ lines: [{ title: "Twin", sku: "DUP", quantity: 1, unitPrice: 1 }] })]);
    const line = await db.orderLine.findFirstOrThrow({ where: { shopId: shop.id } });
    expect(line).toMatchObject({ productId: null, variantId: null, shopifyProductId: null });
  });

  it("GIVEN a stored order WHEN it arrives again unchanged THEN it is skipped; WHEN changed THEN its lines are replaced", async () => {
    const shop = await createTestShop();
    await upsertProducts(shop.id, [mug(), kettle()]);
    await ingestOrders(shop.id, [order()]);
    const replay = await ingestOrders(shop.id, [order()]);
    expect(replay).toEqual({ created: 0, updated: 0, skipped: 1, createdOrders: [] });

    const edited = order({ total: 1200, subtotal: 1200, cancelledAt: new Date("2024-03-02T00:00:00Z"), lines: [order().lines[0]!] });
    const update = await ingestOrders(shop.id, [edited]);
    expect(update).toEqual({ created: 0, updated: 1, skipped: 0, createdOrders: [] });
    const stored = await db.order.findFirstOrThrow({ where: { shopId: shop.id }, include: { lines: true } });
    expect(stored.totalAmount).toBe(1200);
    expect(stored.cancelledAt).toEqual(new Date("2024-03-02T00:00:00Z"));
    expect(stored.lines.map((l) => l.title)).toEqual(["Enamel Mug"]);
    expect(await db.order.count({ where: { shopId: shop.id } })).toBe(1);
  });

  it("GIVEN an order stored by name from a CSV without ids WHEN it arrives with Shopify's id THEN that row takes the id and is updated, not stored twice", async () => {
    const shop = await createTestShop();
    await ingestOrders(shop.id, [order({ shopifyId: "csv:#1001", total: 4000 })]);
    const arrived = await ingestOrders(shop.id, [order({ total: 4700 })]);
    expect(arrived).toMatchObject({ created: 0, updated: 1 });
    expect(await db.order.findMany({ where: { shopId: shop.id }, select: { shopifyId: true, name: true, totalAmount: true } })).toEqual([{ shopifyId: "5001", name: "#1001", totalAmount: 4700 }]);
    // Another shop's order of the same name is not touched.
    const other = await createTestShop();
    await ingestOrders(other.id, [order({ shopifyId: "csv:#1001" })]);
    await ingestOrders(shop.id, [order({ shopifyId: "5002", name: "#1001" })]);
    expect(await db.order.findMany({ where: { shopId: other.id }, select: { shopifyId: true } })).toEqual([{ shopifyId: "csv:#1001" }]);
  });

  it("GIVEN orders before the catalog WHEN products arrive THEN the lines get linked", async () => {
    const shop = await createTestShop();
    await ingestOrders(shop.id, [order()]);
    expect(await db.orderLine.count({ where: { shopId: shop.id, productId: { not: null } } })).toBe(0);
    await upsertProducts(shop.id, [mug()]);
    const line = await db.orderLine.findFirstOrThrow({ where: { shopId: shop.id, shopifyVariantId: "1011" }, include: { variant: true } });
    expect(line.variant?.shopifyId).toBe("1011");
  });

  it("ingests a large batch in one call, idempotently", async () => {
    const shop = await createTestShop();
    await upsertProducts(shop.id, [mug(), kettle()]);
    const many = Array.from({ length: 1_200 }, (_, index) => order({ shopifyId: String(10_000 + index), name: `#${index}` }));
    const first = await ingestOrders(shop.id, many);
    expect([first.created, first.createdOrders.length]).toEqual([1_200, 1_200]);
    expect(await db.orderLine.count({ where: { shopId: shop.id } })).toBe(2_400);
    const again = await ingestOrders(shop.id, many);
    expect(again).toMatchObject({ created: 0, skipped: 1_200 });
    expect(await db.orderLine.count({ where: { shopId: shop.id } })).toBe(2_400);
  });

  it("rejects invalid orders with every problem named and stores none of the batch", async () => {
    const shop = await createTestShop();
    const bad = order({ shopifyId: "6000", name: "#bad", placedAt: new Date("nope"), lines: [{ title: "x", quantity: 0, unitPrice: 1.5 }] });
    const error = await ingestOrders(shop.id, [order(), bad]).catch((caught: unknown) => caught);
    expect((error as IngestError).problems).toEqual([
      "order 2 (#bad): placedAt is not a valid date",
      "order 2 (#bad) line 1: quantity 0 is not a whole number from 1 to 2147483647",
      "order 2 (#bad) line 1: unit price 1.5 is not a non-negative whole amount in minor units of at most 2147483647",
    ]);
    expect(await db.order.count({ where: { shopId: shop.id } })).toBe(0);
  });

  it("refuses amounts past what an Int column holds on PostgreSQL, naming them, instead of failing in the database", async () => {
    const shop = await createTestShop();
    // Rp 30,000,000.00 in minor units: an ordinary wholesale order in rupiah.
    const big = order({ shopifyId: "6001", name: "#big", subtotal: 3_000_000_000, total: 3_000_000_000 });
    const error = await ingestOrders(shop.id, [big]).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(IngestError);
    expect((error as IngestError).problems).toEqual([
      "order 1 (#big): subtotal 3000000000 is not a whole amount in minor units of at most 2147483647",
      "order 1 (#big): total 3000000000 is not a whole amount in minor units of at most 2147483647",
    ]);
    const pricey = mug({ variants: [{ shopifyId: "1", price: 2_147_483_648, currency: "IDR" }] });
    await expect(upsertProducts(shop.id, [pricey])).rejects.toThrow(IngestError);
    expect(await db.order.count({ where: { shopId: shop.id } })).toBe(0);
  });

  it("GIVEN an order stored with attribution WHEN a source without line properties sends it again THEN the attribution and customer stay", async () => {
    const shop = await createTestShop();
    await upsertProducts(shop.id, [mug(), kettle()]);
    await ingestOrders(shop.id, [order()]);
    // As Shopify's orders CSV export has it: no properties, no customer, a changed total (a refund).
    const exported = order({
      customerId: null,
      total: 4000,
      lines: [
        { shopifyProductId: "101", shopifyVariantId: "1011", sku: "MUG-BLUE", title: "Enamel Mug", quantity: 1, unitPrice: 1200 },
        { title: "Camp Kettle", quantity: 1, unitPrice: 3500 },
      ],
    });
    expect(await ingestOrders(shop.id, [exported])).toMatchObject({ updated: 1 });
    const stored = await db.order.findFirstOrThrow({ where: { shopId: shop.id }, include: { lines: { orderBy: { id: "asc" } } } });
    expect(stored).toMatchObject({ totalAmount: 4000, customerId: "777" });
    expect(stored.lines.map((line) => [line.title, line.upshelfOffer, line.upshelfPlacement])).toEqual([
      ["Enamel Mug", null, null],
      ["Camp Kettle", "offer_1", "pdp"],
    ]);
    // A webhook re-sending the order (properties on every line) does not spread a tag onto the
    // buyer's own line of the same variant.
    const twice = order({
      shopifyId: "5002",
      name: "#1002",
      lines: [
        { shopifyProductId: "101", shopifyVariantId: "1011", sku: "MUG-BLUE", title: "Enamel Mug", quantity: 1, unitPrice: 1200, properties: { _upshelf_placement: "pdp" } },
        { shopifyProductId: "101", shopifyVariantId: "1011", sku: "MUG-BLUE", title: "Enamel Mug", quantity: 1, unitPrice: 1200, properties: {} },
      ],
    });
    await ingestOrders(shop.id, [twice]);
    await ingestOrders(shop.id, [{ ...twice, total: 2300 }]);
    const twiceLines = await db.orderLine.findMany({ where: { shopId: shop.id, order: { shopifyId: "5002" } }, orderBy: { id: "asc" } });
    expect(twiceLines.map((line) => line.upshelfPlacement)).toEqual(["pdp", null]);
    // A cancellation stands even if an older copy of the order arrives later.
    await ingestOrders(shop.id, [{ ...twice, total: 2300, cancelledAt: new Date("2024-03-02T00:00:00Z") }]);
    await ingestOrders(shop.id, [{ ...twice, total: 2300 }]);
    expect((await db.order.findFirstOrThrow({ where: { shopId: shop.id, shopifyId: "5002" } })).cancelledAt).toEqual(new Date("2024-03-02T00:00:00Z"));

    // A source that does carry properties still decides them.
    const retagged = order({ lines: [order().lines[0]!, { title: "Camp Kettle", quantity: 1, unitPrice: 3500, properties: { _upshelf_placement: "cart" } }] });
    await ingestOrders(shop.id, [retagged]);
    const lines = await db.orderLine.findMany({ where: { shopId: shop.id, order: { shopifyId: "5001" } }, orderBy: { id: "asc" } });
    expect(lines.map((line) => [line.upshelfOffer, line.upshelfPlacement])).toEqual([
      [null, null],
      [null, "cart"],
    ]);
  });

  it("GIVEN refunds from a webhook WHEN a source that does not report refunds sends the order again THEN the refunds stay; WHEN one that does THEN it decides", async () => {
    const shop = await createTestShop();
    await upsertProducts(shop.id, [mug(), kettle()]);
    const [mugLine, kettleLine] = order().lines as [IncomingOrder["lines"][number], IncomingOrder["lines"][number]];
    await ingestOrders(shop.id, [order({ refunded: 3500, lines: [{ ...mugLine, refunded: 0 }, { ...kettleLine, refunded: 3500, refundedUnits: 1 }] })]);
    const storedOrder = () => db.order.findFirstOrThrow({ where: { shopId: shop.id }, include: { lines: { orderBy: { id: "asc" } } } });
    const refundsOf = async () => {
      const stored = await storedOrder();
      return [stored.refundedAmount, ...stored.lines.map((line) => line.refundedAmount)];
    };
    const refundedUnitsOf = async () => (await storedOrder()).lines.map((line) => line.refundedQuantity);
    expect(await refundsOf()).toEqual([3500, 0, 3500]);
    expect(await refundedUnitsOf()).toEqual([0, 1]);

    // The backfill and the CSV export say nothing of refunds (refunded undefined): what is stored stays.
    expect(await ingestOrders(shop.id, [order({ total: 1200 })])).toMatchObject({ updated: 1 });
    expect(await refundsOf()).toEqual([3500, 0, 3500]);
    expect(await ingestOrders(shop.id, [order({ total: 1200, lines: [{ ...mugLine, properties: undefined }, { ...kettleLine, properties: undefined }] })])).toMatchObject({
      skipped: 1,
    });
    expect(await refundsOf()).toEqual([3500, 0, 3500]);
    expect(await refundedUnitsOf()).toEqual([0, 1]);

    // A webhook reports them all: a refund reversed (as after a corrected refund) is now none.
    await ingestOrders(shop.id, [order({ total: 1200, refunded: 0, lines: [{ ...mugLine, refunded: 0 }, { ...kettleLine, refunded: 0 }] })]);
    expect(await refundsOf()).toEqual([0, 0, 0]);
    expect(await refundedUnitsOf()).toEqual([0, 0]);

    await expect(ingestOrders(shop.id, [order({ refunded: 2 ** 31 })])).rejects.toThrow(/refunded 2147483648 is not a whole amount/);
    await expect(ingestOrders(shop.id, [order({ lines: [{ ...mugLine, refunded: 1.5 }] })])).rejects.toThrow(/line 1: refunded 1.5/);
    await expect(ingestOrders(shop.id, [order({ lines: [{ ...mugLine, refunded: 1200, refundedUnits: 2 }] })])).rejects.toThrow(
      /line 1: refunded units 2 is not a whole number from 0 to the line's quantity 1/,
    );
    expect(await refundedUnitsOf()).toEqual([0, 0]);
  });

  it("GIVEN a source that knows only an order's refunded money (orders CSV) THEN it fills in or raises an earlier export's figure, and never replaces a refund known per line", async () => {
    const shop = await createTestShop();
    const refundedOf = async (shopifyId: string) => (await db.order.findFirstOrThrow({ where: { shopId: shop.id, shopifyId } })).refundedAmount;
    await ingestOrders(shop.id, [order({ shopifyId: "9001", name: "#9001", refundedEstimate: 1200 })]);
    expect(await refundedOf("9001")).toBe(1200);
    // Stored without a refund first (an earlier import), then the export says 12.00 went back.
    await ingestOrders(shop.id, [order({ shopifyId: "9002", name: "#9002" })]);
    expect(await refundedOf("9002")).toBe(0);
    await ingestOrders(shop.id, [order({ shopifyId: "9002", name: "#9002", refundedEstimate: 1200 })]);
    expect(await refundedOf("9002")).toBe(1200);
    // A newer export, after a second refund, says 20.00; the older export imported again does not lower it.
    await ingestOrders(shop.id, [order({ shopifyId: "9002", name: "#9002", refundedEstimate: 2000 })]);
    expect(await refundedOf("9002")).toBe(2000);
    await ingestOrders(shop.id, [order({ shopifyId: "9002", name: "#9002", refundedEstimate: 1200 })]);
    expect(await refundedOf("9002")).toBe(2000);
    // A webhook's refund line items said 10.00 of items; the export's 15.00 includes shipping.
    const [firstLine, ...otherLines] = order().lines;
    const refundedLines = [{ ...(firstLine as IncomingOrder["lines"][number]), refunded: 1000 }, ...otherLines];
    await ingestOrders(shop.id, [order({ shopifyId: "9003", name: "#9003", refunded: 1000, lines: refundedLines })]);
    await ingestOrders(shop.id, [order({ shopifyId: "9003", name: "#9003", refundedEstimate: 1500 })]);
    expect(await refundedOf("9003")).toBe(1000);
    expect(await ingestOrders(shop.id, [order({ shopifyId: "9004", name: "#9004", refundedEstimate: 12.5 })]).catch((error: unknown) => error)).toBeInstanceOf(IngestError);
  });

  it("GIVEN one variant on two lines, the second refunded WHEN a source without refunds sends the order again THEN the refund stays on the line it was for", async () => {
    const shop = await createTestShop();
    await upsertProducts(shop.id, [mug(), kettle()]);
    const [mugLine] = order().lines as [IncomingOrder["lines"][number]];
    // The buyer's mug, and a second mug added after checkout at a discount, then refunded.
    const added = { ...mugLine, discount: 120 };
    await ingestOrders(shop.id, [order({ refunded: 1080, lines: [{ ...mugLine, refunded: 0 }, { ...added, refunded: 1080 }] })]);
    await ingestOrders(shop.id, [order({ total: 1200, lines: [{ ...mugLine }, { ...added }] })]);
    const lines = await db.orderLine.findMany({ where: { shopId: shop.id }, orderBy: { id: "asc" } });
    expect(lines.map((line) => [line.discountAmount, line.refundedAmount])).toEqual([
      [0, 0],
      [120, 1080],
    ]);
  });

  it("GIVEN an order marked with a holdout test WHEN a source that cannot see cart attributes sends it again THEN the mark stays", async () => {
    const shop = await createTestShop();
    await upsertProducts(shop.id, [mug(), kettle()]);
    await ingestOrders(shop.id, [order({ experiment: { key: "k3y", visitor: "visitor-0001" } })]);
    await ingestOrders(shop.id, [order({ total: 999 })]);
    expect(await db.order.findFirstOrThrow({ where: { shopId: shop.id } })).toMatchObject({ totalAmount: 999, experimentKey: "k3y", experimentVisitor: "visitor-0001" });
    await ingestOrders(shop.id, [order({ experiment: null })]);
    expect(await db.order.findFirstOrThrow({ where: { shopId: shop.id } })).toMatchObject({ experimentKey: null, experimentVisitor: null });
  });

  it("refuses orders for a shop that is not installed", async () => {
    await expect(ingestOrders("nobody.myshopify.com", [order()])).rejects.toThrow(/not installed/);
  });
});
