import type { ProductId } from "./types";

/**
 * Interns product ids as dense integers so statistics live in arrays and integer-keyed maps
 * instead of string-keyed ones: several times less memory and faster hashing on big shops.
 */
export interface ProductIndex {
  readonly ids: ProductId[];
  readonly positions: Map<ProductId, number>;
}

export function createProductIndex(): ProductIndex {
  return { ids: [], positions: new Map() };
}

export function internProduct(index: ProductIndex, id: ProductId): number {
  let position = index.positions.get(id);
  if (position === undefined) {
    position = index.ids.length;
    index.ids.push(id);
    index.positions.set(id, position);
  }
  return position;
}
