/**
 * The post-purchase offer's pure logic: reading the purchase, choosing and pricing the one
 * offer, the changeset it becomes, the wire format and what the checkout surfaces display.
 */
export * from "./purchase";
export * from "./shopify-money";
export * from "./select-offer";
export * from "./changeset";
export * from "./wire";
export * from "./requests";
export * from "./view-model";
