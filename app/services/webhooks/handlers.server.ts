/**
 * What each webhook topic does once its delivery is stored. Every handler is safe to run twice
 * (a crash between the work and marking the delivery done means it runs again at start-up).
 */
import { usableTimeZone } from "~/core/shop-local-time";
import db from "~/db.server";
import { adminApiForShop, type AdminApi } from "~/services/admin-api.server";
import { deleteProduct, ingestOrders, setInventory, upsertProducts, type IngestedOrder } from "~/services/ingest";
import { discountStateOf, followShopifyDiscount } from "~/services/discount-upkeep.server";
import { syncDiscountsAfterChange } from "~/services/offer-discount-sync.server";
import { requestFreshRebuild } from "~/services/recommendations-rebuild-job.server";
import { applyNewOrder, refreshServedProducts } from "~/services/recommendations.server";
import { appInstallation } from "./app-installation.server";
import { exportCustomerData, markShopUninstalled, redactCustomer, redactShop } from "./customer-data.server";
import {
  customerDataRequestPayloadSchema,
  customerRedactPayloadSchema,
  discountDeletePayloadSchema,
  discountUpdatePayloadSchema,
  inventoryLevelPayloadSchema,
  orderFromPayload,
  orderPayloadSchema,
  productDeletePayloadSchema,
  productFromPayload,
  productPayloadLacksTracking,
  productPayloadSchema,
  shopPayloadSchema,
} from "./payloads";

export interface HandlerContext {
  shopId: string;
  payload: unknown;
  /** 1 on the first run; more when an earlier run failed or was cut off by a crash. */
  attempt: number;
  adminApiFor: (shopId: string) => Promise<AdminApi>;
}

/** A handler may return text to keep on the delivery row instead of the (emptied) payload. */
export type TopicHandler = (context: HandlerContext) => Promise<string | void>;

export const WEBHOOK_TOPICS = [
  "orders/create",
  "orders/updated",
  "orders/cancelled",
  "products/create",
  "products/update",
  "products/delete",
  "inventory_levels/update",
  "shop/update",
  "discounts/update",
  "discounts/delete",
  "app/uninstalled",
  "customers/data_request",
  "customers/redact",
  "shop/redact",
] as const;
export type WebhookTopic = (typeof WEBHOOK_TOPICS)[number];

export function isWebhookTopic(topic: string): topic is WebhookTopic {
  return (WEBHOOK_TOPICS as readonly string[]).includes(topic);
}

/** products/create and products/update: the product as the payload has it, unless that is an older state. */
async function applyProductChange(shopId: string, payload: unknown, adminApiFor: HandlerContext["adminApiFor"]): Promise<void> {
  const parsed = productPayloadSchema.parse(payload);
  const tracking = productPayloadLacksTracking(parsed) ? await variantTracking(shopId, parsed.id, adminApiFor) : new Map<string, boolean>();
  const product = productFromPayload(parsed, await shopCurrency(shopId), tracking ?? (await keepStoredStock(shopId, parsed.variants.map((variant) => variant.id))));
  const stored = await upsertProducts(shopId, [product], { skipOlderStates: true });
  if (stored.older > 0) return;
  await rebuildIfNewToModel(shopId, await refreshServedProducts(shopId, { productIds: [product.shopifyId] }));
}

/**
 * When whether a product's variants are tracked could not be read: the variants already stored
 * keep their stock ("keep"); a new one takes the payload's, as a tracked variant (stored as
 * untracked it would always show as available, even sold out).
 */
async function keepStoredStock(shopId: string, variantIds: readonly string[]): Promise<Map<string, "keep">> {
  const stored = await db.variant.findMany({ where: { shopId, shopifyId: { in: [...variantIds] } }, select: { shopifyId: true } });
  return new Map(stored.map((variant) => [variant.shopifyId, "keep" as const]));
}

/** A product the serving model has never seen can be ranked (or pinned) only after a rebuild. */
async function rebuildIfNewToModel(shopId: string, refreshed: { readonly unknownToModel: readonly string[] }): Promise<void> {
  if (refreshed.unknownToModel.length > 0) await requestFreshRebuild(shopId, "new_product");
}

async function storedOrderForModel(shopId: string, shopifyId: string): Promise<IngestedOrder | null> {
  const order = await db.order.findUnique({
    where: { shopId_shopifyId: { shopId, shopifyId } },
    select: { placedAt: true, cancelledAt: true, lines: { select: { shopifyProductId: true, quantity: true } } },
  });
  if (!order) return null;
  return {
    id: shopifyId,
    placedAt: order.placedAt,
    cancelled: order.cancelledAt !== null,
    lines: order.lines.flatMap((line) => (line.shopifyProductId ? [{ productId: line.shopifyProductId, quantity: line.quantity }] : [])),
  };
}

async function shopCurrency(shopId: string): Promise<string> {
  const shop = await db.shop.findUniqueOrThrow({ where: { id: shopId }, select: { currency: true } });
  return shop.currency;
}

const INVENTORY_ITEM_QUERY = `#graphql
  query UpshelfInventoryItem($id: ID!) {
    inventoryItem(id: $id) {
      tracked
      variant { legacyResourceId inventoryQuantity }
    }
  }`;

const PRODUCT_TRACKING_QUERY = `#graphql
  query UpshelfProductTracking($id: ID!) {
    product(id: $id) {
      variants(first: 250) { nodes { legacyResourceId inventoryItem { tracked } } }
    }
  }`;

interface ProductTrackingAnswer {
  product: { variants: { nodes: { legacyResourceId: string; inventoryItem: { tracked: boolean } | null }[] } } | null;
}

/**
 * Whether Shopify tracks each of a product's variants, which product payloads since API 2024-07
 * no longer say. Variants it does not answer for (demo mode records the call and answers
 * nothing; a product past 250 variants) keep the payload's quantity, as before. When the call
 * fails, null: the product's other changes (a price) are stored anyway rather than retried, and
 * its stored variants keep their stock (keepStoredStock; inventory_levels/update brings it up
 * to date).
 */
async function variantTracking(shopId: string, productId: string, adminApiFor: HandlerContext["adminApiFor"]): Promise<Map<string, boolean> | null> {
  try {
    const admin = await adminApiFor(shopId);
    const answer = await admin.request<ProductTrackingAnswer>("ProductTracking", PRODUCT_TRACKING_QUERY, { id: `gid://shopify/Product/${productId}` });
    return new Map(
      (answer?.product?.variants.nodes ?? []).flatMap((node) => (node.inventoryItem ? [[node.legacyResourceId, node.inventoryItem.tracked] as const] : [])),
    );
  } catch (error) {
    console.warn(`Product ${productId} of ${shopId}: whether its variants are tracked could not be read (${(error as Error).message}); their stored stock is kept.`);
    return null;
  }
}

interface InventoryItemAnswer {
  inventoryItem: { tracked: boolean; variant: { legacyResourceId: string; inventoryQuantity: number | null } | null } | null;
}

async function storeOrderAndLearn({ shopId, payload, attempt }: HandlerContext): Promise<void> {
  const parsed = orderPayloadSchema.parse(payload);
  // Test orders would teach the model and count as sales on the dashboard.
  if (parsed.test) return;
  const order = orderFromPayload(parsed);
  const result = await ingestOrders(shopId, [order]);
  // A newly stored order teaches the serving model at once. On a retry the order may already be
  // stored by the run that was cut off, and that run's in-memory model update died with it;
  // applyNewOrder ignores an order id it has already applied, so applying again is safe.
  const learned = result.createdOrders[0] ?? (attempt > 1 ? await storedOrderForModel(shopId, order.shopifyId) : null);
  if (learned && !learned.cancelled) {
    await applyNewOrder(shopId, { id: learned.id, placedAt: learned.placedAt, lines: learned.lines });
  }
}

export const TOPIC_HANDLERS: Record<WebhookTopic, TopicHandler> = {
  "orders/create": storeOrderAndLearn,

  /**
   * The whole order again after any change: an accepted post-purchase offer's line (credited to
   * Upshelf here, see ingest), an edit, a refund. Shopify may send it before orders/create.
   */
  "orders/updated": storeOrderAndLearn,

  async "orders/cancelled"({ shopId, payload }) {
    const parsed = orderPayloadSchema.parse(payload);
    if (parsed.test) return;
    // The payload is the whole order, now with cancelled_at: storing it marks the stored order
    // cancelled (or stores it so, if orders/create never came). Sales figures leave it out at
    // once; the model drops it at its next rebuild, which the changed order brings forward.
    await ingestOrders(shopId, [orderFromPayload(parsed)]);
  },

  async "products/create"({ shopId, payload, adminApiFor }) {
    await applyProductChange(shopId, payload, adminApiFor);
  },

  async "products/update"({ shopId, payload, adminApiFor }) {
    await applyProductChange(shopId, payload, adminApiFor);
  },

  async "products/delete"({ shopId, payload }) {
    const { id } = productDeletePayloadSchema.parse(payload);
    await deleteProduct(shopId, id);
    await refreshServedProducts(shopId, { productIds: [id] });
  },

  /**
   * The payload gives one location's `available` for an inventory item, while a variant's
   * inventory is the total over locations, and Upshelf stores no inventory item ids. So the
   * Admin API is asked for the item's variant and its total (in demo mode the call is recorded).
   */
  async "inventory_levels/update"({ shopId, payload, adminApiFor }) {
    const { inventory_item_id: itemId } = inventoryLevelPayloadSchema.parse(payload);
    const admin = await adminApiFor(shopId);
    const answer = await admin.request<InventoryItemAnswer>("InventoryItem", INVENTORY_ITEM_QUERY, { id: `gid://shopify/InventoryItem/${itemId}` });
    const item = answer?.inventoryItem;
    if (!item?.variant) return;
    if (!item.tracked) await setInventory(shopId, item.variant.legacyResourceId, null);
    else if (item.variant.inventoryQuantity !== null) await setInventory(shopId, item.variant.legacyResourceId, item.variant.inventoryQuantity);
    // A variant that sold out (or came back) is left out of (or back in) recommendations at once.
    await rebuildIfNewToModel(shopId, await refreshServedProducts(shopId, { variantIds: [item.variant.legacyResourceId] }));
  },

  /**
   * Checkout compares offer schedules with the shop's local clock, so a new time zone means the
   * discount's configuration (written in local time) is re-sent; a zone this runtime cannot read
   * is ignored rather than breaking every schedule. A new shop currency re-sends it too: the
   * configuration names the currency its amounts are in, and offers priced in the old one must
   * leave checkout as they leave the storefront.
   */
  async "shop/update"({ shopId, payload, attempt }) {
    const shop = shopPayloadSchema.parse(payload);
    const zone = usableTimeZone(shop.iana_timezone);
    const before = await db.shop.findUnique({ where: { id: shopId }, select: { timeZone: true, currency: true } });
    if (!before) return;
    // Delivered late, after a newer update: applying it would bring back an older name, currency or
    // zone. Compared in the write itself, so that of two updates processed at once the older loses.
    const updatedAt = shop.updated_at ?? null;
    const written = await db.shop.updateMany({
      where: { id: shopId, ...(updatedAt ? { OR: [{ sourceUpdatedAt: null }, { sourceUpdatedAt: { lte: updatedAt } }] } : {}) },
      data: { name: shop.name, currency: shop.currency, ...(zone ? { timeZone: zone } : {}), ...(updatedAt ? { sourceUpdatedAt: updatedAt } : {}) },
    });
    if (written.count === 0) return;
    // A retry follows a run that stored the zone but may not have finished the sync: sync again.
    // Automatic: a discount the merchant removed in Shopify's admin stays removed.
    if ((zone && zone !== before.timeZone) || shop.currency !== before.currency || attempt > 1) {
      const sync = await syncDiscountsAfterChange(shopId, { automatic: true });
      if (sync.errors.length > 0) throw new Error(sync.errors.join(" "));
    }
  },

  /**
   * Any discount in the shop changed. Only Upshelf's own matters: switched off in Shopify's admin
   * (an end date passed, or a start date ahead), the storefront stops promising its savings;
   * switched on again, it gets the current configuration. The payload's status is only a hint:
   * Shopify is asked for the state now (followShopifyDiscount), since a late delivery may describe
   * a state that has changed since. Upshelf's own writes arrive here too and change nothing.
   */
  async "discounts/update"({ shopId, payload, adminApiFor }) {
    const discount = discountUpdatePayloadSchema.parse(payload);
    await followShopifyDiscount(shopId, discount.admin_graphql_api_id, { reported: discountStateOf(discount.status), apiFor: adminApiFor });
  },

  /** Upshelf's discount deleted in Shopify's admin: the storefront stops promising its savings. */
  async "discounts/delete"({ shopId, payload, adminApiFor }) {
    const discount = discountDeletePayloadSchema.parse(payload);
    await followShopifyDiscount(shopId, discount.admin_graphql_api_id, { reported: "missing", apiFor: adminApiFor });
  },

  /** Unless the app works on the shop again: then this is a late delivery from before a reinstall. */
  async "app/uninstalled"({ shopId, adminApiFor }) {
    if ((await appInstallation(shopId, adminApiFor)) === "installed") {
      console.info(`app/uninstalled for ${shopId}, whose access token works again (reinstalled since): the shop stays installed.`);
      return;
    }
    await markShopUninstalled(shopId);
  },

  async "customers/data_request"({ shopId, payload }) {
    const request = customerDataRequestPayloadSchema.parse(payload);
    const data = await exportCustomerData({
      shopId,
      customerId: request.customer.id,
      orderIds: request.orders_requested ?? [],
      dataRequestId: request.data_request?.id ?? null,
    });
    console.info(
      `customers/data_request ${data.dataRequestId ?? "(no id)"} for ${shopId}: customer ${data.customerId}, ` +
        `${data.orders.length} order(s); the export is stored on the delivery row.`,
    );
    // Kept (instead of the payload, which held the customer's email and phone) for the merchant.
    return JSON.stringify(data);
  },

  async "customers/redact"({ shopId, payload }) {
    const request = customerRedactPayloadSchema.parse(payload);
    const result = await redactCustomer({
      shopId,
      customerId: request.customer.id,
      email: request.customer.email,
      phone: request.customer.phone,
      orderIds: request.orders_to_redact ?? [],
    });
    // What was done, in counts: nothing naming the customer goes to the log.
    console.info(
      `customers/redact for ${shopId}: ${result.ordersUnlinked} order(s) unlinked, ${result.exportsDeleted} export(s) deleted, ` +
        `${result.payloadsScrubbed} failed payload(s) emptied, ${result.pendingMarked} pending delivery(ies) marked, ` +
        `${result.importFilesLetGo} kept import file(s) let go, ${result.importsMarked} import(s) still to end marked not to keep their file.`,
    );
  },

  /**
   * Erases a shop marked uninstalled. One not marked (its app/uninstalled was skipped while the old
   * token still answered) is erased too once its token is refused; a working token keeps it.
   */
  async "shop/redact"({ shopId, adminApiFor }) {
    let result = await redactShop(shopId);
    if (result.installed && (await appInstallation(shopId, adminApiFor)) === "uninstalled") {
      await markShopUninstalled(shopId);
      result = await redactShop(shopId);
    }
    if (result.installed) console.warn(`shop/redact for ${shopId}, which is installed (reinstalled since?): its data is kept.`);
  },
};

export const defaultAdminApiFor = adminApiForShop;
