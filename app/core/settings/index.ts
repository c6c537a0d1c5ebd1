export * from "./shop-settings";
export * from "./storefront-widget-defaults";
