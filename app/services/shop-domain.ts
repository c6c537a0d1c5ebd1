/**
 * Whether a host names a Shopify shop: `<name>.myshopify.com`, or `<name>.<SHOP_CUSTOM_DOMAIN>`
 * when the app is set up with a custom shop domain (which shopify.server.ts also hands to
 * Shopify's library), so the app's own checks accept the same shops.
 */
export function isShopDomain(host: string, customShopDomain?: string): boolean {
  const name = /^[a-z0-9][a-z0-9-]*\.(.+)$/.exec(host);
  if (!name) return false;
  return name[1] === "myshopify.com" || (customShopDomain !== undefined && name[1] === customShopDomain.toLowerCase());
}
