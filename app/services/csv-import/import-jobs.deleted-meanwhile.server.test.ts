import { describe, expect, it, vi } from "vitest";
import db from "~/db.server";
import { deleteProduct } from "~/services/ingest/upsert-products.server";
import { runJob, waitForJob } from "~/services/jobs.server";
import { createTestProduct } from "../../../tests/factories/catalog";
import { createTestShop } from "../../../tests/factories/shop";
import { findCsvImport, startCsvImport } from "./import-jobs.server";
import type * as CatalogMatching from "./catalog-matching.server";
import { importReportSchema } from "./import-report";

/** Runs between matching a batch to the catalog and writing it, as a webhook can. */
const afterMatching = vi.hoisted(() => ({ run: async () => {} }));

vi.mock("./catalog-matching.server", async (importOriginal) => {
  const original = await importOriginal<typeof CatalogMatching>();
  return {
    ...original,
    matchProductsToCatalog: async (...args: Parameters<typeof original.matchProductsToCatalog>) => {
      const matched = await original.matchProductsToCatalog(...args);
      await afterMatching.run();
      return matched;
    },
  };
});

const HEADER = "Handle,Title,Option1 Name,Option1 Value,Variant SKU,Variant Price,Status";

describe("a products CSV whose Shopify product is deleted while it imports", () => {
  it("reports that product's rows as not imported, with the reason, and counts only what was written", async () => {
    const shop = await createTestShop({ currency: "USD" });
    const mug = await createTestProduct(shop.id, { title: "Blue Mug", price: 1200 });
    const cup = await createTestProduct(shop.id, { title: "Red Cup", price: 800 });
    const handles = await db.product.findMany({ where: { shopId: shop.id }, select: { shopifyId: true, handle: true } });
    const handleOf = (shopifyId: string) => handles.find((row) => row.shopifyId === shopifyId)!.handle;
    // Both rows only fill the description-less products: Shopify owns them.
    const text = [HEADER, `${handleOf(mug.shopifyId)},Blue Mug,Title,Default Title,,12.00,active`, `${handleOf(cup.shopifyId)},Red Cup,Title,Default Title,,8.00,active`].join("\n");

    afterMatching.run = async () => {
      await deleteProduct(shop.id, mug.shopifyId);
    };
    const job = await startCsvImport(shop.id, "products", { fileName: "products.csv", text }, { start: false });
    await runJob(job.id);
    await waitForJob(shop.id, job.id);
    afterMatching.run = async () => {};
    const done = await findCsvImport(shop.id, job.id);
    expect(done?.status).toBe("done");
    const report = importReportSchema.parse(done?.report);

    expect(report).toMatchObject({ imported: 1, matched: 1, items: 1, skippedRows: 1 });
    expect(report.skipped).toEqual([{ row: 2, reason: expect.stringContaining("deleted in Shopify while this file was importing") }]);
    expect(await db.product.count({ where: { shopId: shop.id, shopifyId: mug.shopifyId } })).toBe(0);
  });
});
