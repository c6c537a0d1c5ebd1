export * from "./shop-settings";
