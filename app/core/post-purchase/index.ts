/**
 * The post-purchase offer's pure logic: reading the purchase, choosing and pricing the one
 * offer, the changeset it becomes, the wire format, what the checkout surfaces display, how a
 * checkout's answer moves as the page reports it, which thank-you page follows it, and which
 * order line an accepted offer became.
 */
export * from "./purchase";
export * from "./shopify-money";
export * from "./select-offer";
export * from "./changeset";
export * from "./wire";
export * from "./requests";
export * from "./view-model";
export * from "./accepted-line";
export * from "./outcome";
export * from "./thank-you-follows";
