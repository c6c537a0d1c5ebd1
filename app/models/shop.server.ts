import db from "~/db.server";

export interface ShopCounts {
  products: number;
  orders: number;
}

export function findShop(shopId: string) {
  return db.shop.findUnique({ where: { id: shopId } });
}

/**
 * Whether Upshelf is installed on the shop now: known and not uninstalled. A signed storefront or
 * checkout request can still name a shop that uninstalled, or whose data was erased.
 */
export async function isShopInstalled(shopId: string): Promise<boolean> {
  const shop = await db.shop.findUnique({ where: { id: shopId }, select: { uninstalledAt: true } });
  return shop !== null && shop.uninstalledAt === null;
}

/**
 * Records that a shop has the app (first install or re-install), keeping what we knew of it.
 * The shop's real name and currency arrive with the catalog sync; until then the domain stands in.
 */
export function recordShopInstalled(shopId: string) {
  return db.shop.upsert({
    where: { id: shopId },
    create: { id: shopId, name: shopId.replace(/\.myshopify\.com$/, ""), currency: "USD" },
    update: { uninstalledAt: null },
  });
}

/** Creates or updates a shop with what Shopify (or the demo data) says about it. */
export function upsertShop(input: { id: string; name: string; currency: string; isDemo?: boolean }) {
  return db.shop.upsert({
    where: { id: input.id },
    create: { id: input.id, name: input.name, currency: input.currency, isDemo: input.isDemo ?? false },
    update: { name: input.name, currency: input.currency, uninstalledAt: null },
  });
}

export async function countShopCatalog(shopId: string): Promise<ShopCounts> {
  const [products, orders] = await Promise.all([
    db.product.count({ where: { shopId } }),
    db.order.count({ where: { shopId } }),
  ]);
  return { products, orders };
}
