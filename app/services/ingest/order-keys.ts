/**
 * An order from a source without Shopify's ids (a CSV export without its `Id` column) is stored
 * under a key made from its name ("#1001" → "csv:#1001"); a shop's order names are unique.
 * When the same order later arrives with its id, ingest moves the stored row to that id.
 */
export const NAME_KEY_PREFIX = "csv:";

export function nameKeyedOrderId(name: string): string {
  return `${NAME_KEY_PREFIX}${name}`;
}
