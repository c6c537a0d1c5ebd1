/**
 * Reading or writing many rows by id goes through IN (...) lists and insert batches of bounded
 * size: SQLite refuses a statement with more bound parameters than its limit (P2029 through
 * Prisma), and PostgreSQL's planner gains nothing from longer lists.
 */

/** Ids per IN (...) list: well under SQLite's and PostgreSQL's bound-parameter limits. */
export const IN_LIST_SIZE = 500;

/** Splits a list into consecutive pieces of at most `size` (for IN lists and insert batches). */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let start = 0; start < items.length; start += size) out.push(items.slice(start, start + size));
  return out;
}
