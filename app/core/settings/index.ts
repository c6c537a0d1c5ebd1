export * from "./shop-settings";
export * from "./storefront-widget-defaults";
export * from "./theme-block-items";
