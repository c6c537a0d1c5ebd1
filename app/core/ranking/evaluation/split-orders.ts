import type { Rng } from "../random";
import type { Order } from "../types";

export interface OrderSplit {
  readonly train: Order[];
  readonly test: Order[];
}

/** Temporal split: orders before `splitAt` (epoch ms) train, the rest test. The honest default. */
export function splitOrdersByDate(orders: readonly Order[], splitAt: number): OrderSplit {
  return {
    train: orders.filter((order) => order.createdAt < splitAt),
    test: orders.filter((order) => order.createdAt >= splitAt),
  };
}

/**
 * Random holdout of a fraction of orders. Optimistic compared with a temporal split (the model
 * sees the future of the test orders' neighbours), so use it only when there is no history.
 */
export function splitOrdersRandomly(orders: readonly Order[], testFraction: number, rng: Rng): OrderSplit {
  if (!(testFraction > 0 && testFraction < 1)) throw new RangeError("The test fraction must be between 0 and 1.");
  const train: Order[] = [];
  const test: Order[] = [];
  for (const order of orders) (rng() < testFraction ? test : train).push(order);
  return { train, test };
}
