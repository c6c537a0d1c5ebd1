import type { CatalogProduct, Order } from "../types";

/** A hand-made shop whose right answers are known; shared by the engine's tests. */
export const SMALL_SHOP_NOW = Date.UTC(2024, 5, 1);
const DAY = 86_400_000;

export const SMALL_SHOP_CATALOG: CatalogProduct[] = [
  { id: "mug-blue", title: "Blue Stoneware Mug", productType: "Mugs", vendor: "Kiln", price: 1200 },
  { id: "mug-red", title: "Red Stoneware Mug", productType: "Mugs", vendor: "Kiln", price: 1300 },
  { id: "mug-large", title: "Large Stoneware Mug", productType: "Mugs", vendor: "Kiln", price: 2500 },
  { id: "tea-earl", title: "Earl Grey Tea", productType: "Tea", price: 800 },
  { id: "tea-green", title: "Green Tea", productType: "Tea", price: 900 },
  { id: "spoon", title: "Tea Spoon", productType: "Cutlery", price: 300 },
  { id: "bag", title: "Gift Bag", productType: "Packaging", price: 100 },
  { id: "candle", title: "Lavender Candle", productType: "Candles", price: 1500 },
  { id: "candle-tall", title: "Tall Lavender Candle", productType: "Candles", price: 1900 },
  { id: "teapot", title: "Cast Iron Teapot", productType: "Teapots", price: 4000, available: false },
  { id: "napkin", title: "Linen Napkin", productType: "Linen", price: 600, published: false },
];

function order(id: string, day: number, products: string[]): Order {
  return { id, createdAt: SMALL_SHOP_NOW - day * DAY, lines: products.map((productId) => ({ productId, quantity: 1 })) };
}

/**
 * The gift bag goes into nearly every order (a best seller); blue mugs go with Earl Grey (20
 * orders) and spoons (5); green tea goes with the teapot and napkins. Candles never sold.
 */
export function smallShopOrders(): Order[] {
  const orders: Order[] = [];
  for (let i = 0; i < 20; i++) orders.push(order(`mt${i}`, i, ["mug-blue", "tea-earl", "bag"]));
  for (let i = 0; i < 5; i++) orders.push(order(`ms${i}`, i, ["mug-blue", "spoon", "bag"]));
  for (let i = 0; i < 5; i++) orders.push(order(`gt${i}`, i, ["tea-green", "teapot", "napkin", "bag"]));
  for (let i = 0; i < 3; i++) orders.push(order(`mr${i}`, i, ["mug-red", "spoon"]));
  for (let i = 0; i < 60; i++) orders.push(order(`b${i}`, i, ["bag"]));
  orders.push(order("ml", 3, ["mug-large", "tea-earl"]));
  return orders;
}
