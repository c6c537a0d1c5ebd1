/**
 * Whether a host names a Shopify shop: `<name>.myshopify.com`, or `<name>.<SHOP_CUSTOM_DOMAIN>`
 * when the app is set up with Shopify's custom shop domain (as shopify-app-remix's
 * `customShopDomains`), so the app's own checks accept what Shopify's library does.
 */
export function isShopDomain(host: string, customShopDomain?: string): boolean {
  const name = /^[a-z0-9][a-z0-9-]*\.(.+)$/.exec(host);
  if (!name) return false;
  return name[1] === "myshopify.com" || (customShopDomain !== undefined && name[1] === customShopDomain.toLowerCase());
}
