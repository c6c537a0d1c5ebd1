/**
 * Catalog sync: every product and variant of the shop through Admin GraphQL, page by page, into
 * ingest's upsert (unchanged rows are not rewritten, so a re-sync is cheap). The cursor of the
 * last stored page is the job's checkpoint: a sync cut off by a restart resumes there.
 */
import { z } from "zod";
import { parseDecimalToMinor } from "~/core/money";
import { usableTimeZone } from "~/core/shop-local-time";
import db from "~/db.server";
import { adminApiForShop, type AdminApi } from "~/services/admin-api.server";
import { upsertProducts, type IncomingProduct, type IncomingVariant } from "~/services/ingest";
import { enqueueJob, type JobHandler, type RunningJob } from "~/services/jobs.server";
import { callAdmin } from "./admin-calls.server";
import {
  PRODUCT_VARIANTS_QUERY,
  PRODUCTS_PER_PAGE,
  PRODUCTS_QUERY,
  SHOP_QUERY,
  VARIANTS_PER_PAGE,
  VARIANTS_PER_PRODUCT_PAGE,
} from "./queries";

export const catalogSyncInputSchema = z.object({
  /** Start the order backfill when the catalog is in (install and "Sync now" do). */
  thenBackfill: z.boolean().default(false),
});

const checkpointSchema = z.object({
  cursor: z.string().nullable(),
  done: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
});
type Checkpoint = z.infer<typeof checkpointSchema>;

const pageInfo = z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullable() });
const variantNode = z.object({
  legacyResourceId: z.string(),
  title: z.string(),
  sku: z.string().nullable(),
  price: z.string(),
  compareAtPrice: z.string().nullable(),
  inventoryQuantity: z.number().int().nullable(),
  inventoryPolicy: z.enum(["DENY", "CONTINUE"]),
  inventoryItem: z.object({ tracked: z.boolean() }).nullable(),
});
const variantConnection = z.object({ pageInfo, nodes: z.array(variantNode) });
const productNode = z.object({
  id: z.string(),
  legacyResourceId: z.string(),
  handle: z.string(),
  title: z.string(),
  descriptionHtml: z.string().nullable(),
  productType: z.string().nullable(),
  vendor: z.string().nullable(),
  tags: z.array(z.string()),
  status: z.enum(["ACTIVE", "DRAFT", "ARCHIVED", "UNLISTED"]).catch("DRAFT"),
  publishedAt: z.string().nullable(),
  featuredMedia: z.object({ preview: z.object({ image: z.object({ url: z.string() }).nullable() }).nullable() }).nullable(),
  variants: variantConnection,
});
const productsAnswer = z.object({ products: z.object({ pageInfo, nodes: z.array(productNode) }) });
const productVariantsAnswer = z.object({ product: z.object({ variants: variantConnection }).nullable() });
const shopAnswer = z.object({
  shop: z.object({
    name: z.string(),
    currencyCode: z.string().length(3),
    // A zone this runtime cannot read would break every schedule: keep the one we have instead.
    ianaTimezone: z.string().nullish().transform(usableTimeZone),
  }),
  productsCount: z.object({ count: z.number().int() }).nullable(),
});

function toVariant(node: z.infer<typeof variantNode>, currency: string): IncomingVariant {
  return {
    shopifyId: node.legacyResourceId,
    title: node.title,
    sku: node.sku,
    price: parseDecimalToMinor(node.price, currency, { rounding: "half-up" }),
    compareAtPrice: node.compareAtPrice === null ? null : parseDecimalToMinor(node.compareAtPrice, currency, { rounding: "half-up" }),
    currency,
    inventoryQuantity: node.inventoryItem && !node.inventoryItem.tracked ? null : (node.inventoryQuantity ?? undefined),
    inventoryPolicy: node.inventoryPolicy === "CONTINUE" ? "continue" : "deny",
  };
}

async function allVariants(admin: AdminApi, product: z.infer<typeof productNode>, currency: string): Promise<IncomingVariant[]> {
  const variants = product.variants.nodes.map((node) => toVariant(node, currency));
  let page = product.variants.pageInfo;
  while (page.hasNextPage) {
    const answer = productVariantsAnswer.parse(
      await callAdmin(admin, "ProductVariants", PRODUCT_VARIANTS_QUERY, { id: product.id, first: VARIANTS_PER_PAGE, after: page.endCursor }),
    );
    if (!answer.product) break;
    variants.push(...answer.product.variants.nodes.map((node) => toVariant(node, currency)));
    page = answer.product.variants.pageInfo;
  }
  return variants;
}

function toProduct(node: z.infer<typeof productNode>, variants: IncomingVariant[]): IncomingProduct {
  return {
    shopifyId: node.legacyResourceId,
    handle: node.handle,
    title: node.title,
    description: node.descriptionHtml ?? "",
    productType: node.productType ?? "",
    vendor: node.vendor ?? "",
    tags: node.tags,
    // UNLISTED products sell by link only; treated like drafts so widgets do not show them.
    status: node.status === "ACTIVE" ? "active" : node.status === "ARCHIVED" ? "archived" : "draft",
    publishedAt: node.publishedAt ? new Date(node.publishedAt) : null,
    imageUrl: node.featuredMedia?.preview?.image?.url ?? null,
    variants,
  };
}

export interface CatalogSyncReport {
  mode: "live" | "recording";
  products: number;
  created: number;
  updated: number;
  unchanged: number;
  message: string;
}

/** The sync itself, with the Admin API passed in (tests pass one aimed at a local stand-in). */
export async function runCatalogSync(job: Pick<RunningJob, "shopId" | "checkpoint" | "progress">, admin: AdminApi): Promise<CatalogSyncReport> {
  const { shopId } = job;
  if (admin.mode === "recording") {
    await admin.request("Shop", SHOP_QUERY);
    await admin.request("Products", PRODUCTS_QUERY, { first: PRODUCTS_PER_PAGE, after: null, variantsFirst: VARIANTS_PER_PRODUCT_PAGE });
    return { mode: "recording", products: 0, created: 0, updated: 0, unchanged: 0, message: "Demo shop: nothing was fetched; the calls a real shop would get are recorded." };
  }

  const shop = shopAnswer.parse(await callAdmin(admin, "Shop", SHOP_QUERY));
  const currency = shop.shop.currencyCode;
  // The name, currency and zone stand in as placeholders until this first answer (recordShopInstalled).
  const timeZone = shop.shop.ianaTimezone;
  await db.shop.update({ where: { id: shopId }, data: { name: shop.shop.name, currency, ...(timeZone ? { timeZone } : {}) } });
  const total = shop.productsCount?.count ?? null;

  const parsed = checkpointSchema.safeParse(job.checkpoint);
  const state: Checkpoint = parsed.success ? parsed.data : { cursor: null, done: 0, created: 0, updated: 0, unchanged: 0 };
  await job.progress(state.done, total);
  for (;;) {
    const answer = productsAnswer.parse(
      await callAdmin(admin, "Products", PRODUCTS_QUERY, { first: PRODUCTS_PER_PAGE, after: state.cursor, variantsFirst: VARIANTS_PER_PRODUCT_PAGE }),
    );
    const products: IncomingProduct[] = [];
    for (const node of answer.products.nodes) products.push(toProduct(node, await allVariants(admin, node, currency)));
    const counts = await upsertProducts(shopId, products);
    state.created += counts.created;
    state.updated += counts.updated;
    state.unchanged += counts.unchanged;
    state.done += products.length;
    state.cursor = answer.products.pageInfo.endCursor ?? state.cursor;
    await job.progress(state.done, total === null ? null : Math.max(total, state.done), state);
    if (!answer.products.pageInfo.hasNextPage) break;
  }
  return {
    mode: "live",
    products: state.done,
    created: state.created,
    updated: state.updated,
    unchanged: state.unchanged,
    message: `${state.done} products synced: ${state.created} new, ${state.updated} changed, ${state.unchanged} unchanged.`,
  };
}

export const catalogSyncJob: JobHandler = async (job) => {
  const input = catalogSyncInputSchema.parse(job.input ?? {});
  const report = await runCatalogSync(job, await adminApiForShop(job.shopId));
  if (input.thenBackfill) await enqueueJob(job.shopId, "orders_backfill", {}, { reuseActive: true });
  return report;
};
