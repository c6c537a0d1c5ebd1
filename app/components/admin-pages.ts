/** The admin's pages, in navigation order. One list, used by both navigation styles. */
export const ADMIN_PAGES = [
  { url: "/app", label: "Dashboard" },
  { url: "/app/bundles", label: "Bundles" },
  { url: "/app/tiers", label: "Tiered discounts" },
  { url: "/app/ladders", label: "Upgrade ladders" },
  { url: "/app/recommendations", label: "Recommendations" },
  { url: "/app/holdout", label: "Holdout test" },
  { url: "/app/import", label: "Import" },
  { url: "/app/sync", label: "Shopify data" },
  { url: "/app/settings", label: "Settings" },
] as const;
