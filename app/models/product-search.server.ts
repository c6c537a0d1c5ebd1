/**
 * The admin's product search, done by the database: a shop of 50,000 products used to send every
 * title to the app on each keystroke (docs/benchmarks.md, "A large shop"). Matching uses the
 * titles folded by the app (Product.titleFolded, foldForSearch), so it is the same on SQLite and
 * PostgreSQL and the same as when the app compared the titles itself.
 */
import { foldForSearch } from "~/core/catalog-search";
import { databaseProvider, databaseUrl } from "~/db-adapter.server";
import db from "~/db.server";
import { Prisma } from "~/generated/prisma/sqlite/client";

export interface ProductMatch {
  readonly id: number;
  readonly shopifyId: string;
  readonly title: string;
  readonly handle: string;
}

/**
 * The shop's products matching a query, best first, at most `limit`: its id exactly, then titles
 * starting with it, then titles containing it (both ignoring case), then handles containing it as
 * typed in lower case, then (with `sku`) products with a variant whose SKU contains it, ignoring
 * ASCII case; alphabetically by title within each (the database's order, as before). Every product
 * of the shop is compared, from Product_shopId_id_search_idx alone (no row read; the SKUs from
 * Variant_productId_shopId_idx), and only the matches returned leave the database.
 *
 * Text is found by its position (instr, strpos), never by LIKE: `_` and `%` in a query are the
 * characters themselves, not wildcards, on both databases.
 */
export async function findProductsMatching(shopId: string, query: string, limit: number, options: { sku?: boolean } = {}): Promise<ProductMatch[]> {
  const needle = foldForSearch(query.trim());
  if (needle === "") return [];
  // The position of one text in another, from 1, or 0: instr in SQLite, strpos in PostgreSQL.
  const position = Prisma.raw(databaseProvider(databaseUrl()) === "postgresql" ? "strpos" : "instr");
  // SKUs are not folded by the app (nothing stores them so): lower() folds their ASCII letters.
  const bySku = options.sku
    ? Prisma.sql`WHEN EXISTS (
          SELECT 1 FROM "Variant" WHERE "Variant"."productId" = "Product"."id" AND "Variant"."shopId" = ${shopId}
            AND ${position}(lower("Variant"."sku"), ${needle}) > 0
        ) THEN 4`
    : Prisma.empty;
  const rows = await db.$queryRaw<{ id: unknown; shopifyId: string; title: string; handle: string }[]>`
    SELECT "id", "shopifyId", "title", "handle" FROM (
      SELECT "id", "shopifyId", "title", "handle",
        CASE
          WHEN "shopifyId" = ${needle} THEN 0
          WHEN ${position}("titleFolded", ${needle}) = 1 THEN 1
          WHEN ${position}("titleFolded", ${needle}) > 0 THEN 2
          WHEN ${position}("handle", ${needle}) > 0 THEN 3
          ${bySku}
        END AS "rank"
      FROM "Product"
      WHERE "shopId" = ${shopId}
    ) AS "candidates"
    WHERE "rank" IS NOT NULL
    ORDER BY "rank", "title", "id"
    LIMIT ${limit}`;
  return rows.map((row) => ({ id: Number(row.id), shopifyId: row.shopifyId, title: row.title, handle: row.handle }));
}

/**
 * Folds the titles the migration that added titleFolded could not (any title with a character
 * beyond printable ASCII, which only the app folds as the search does): those it left empty.
 * Run at start-up: once all are done, a pass over each shop's search index finds none (about 20 ms for
 * 50,000 products). Each pass folds a few hundred, which then no longer match (a title is never
 * empty, and neither is its fold), so it ends. Returns how many were folded.
 */
export async function foldStoredProductTitles(batchSize = 500): Promise<number> {
  let folded = 0;
  for (const { id: shopId } of await db.shop.findMany({ select: { id: true } })) {
    for (;;) {
      const rows = await db.product.findMany({ where: { shopId, titleFolded: "", title: { not: "" } }, select: { id: true, title: true }, take: batchSize });
      if (rows.length === 0) break;
      await db.$transaction(rows.map((row) => db.product.update({ where: { id: row.id }, data: { titleFolded: foldForSearch(row.title) } })));
      folded += rows.length;
    }
  }
  return folded;
}
