import { IN_LIST_SIZE } from "./in-lists";

/**
 * Deletes rows a batch of ids at a time until none are left, and returns how many went. On SQLite
 * every statement holds the serving process and the database's write lock, so a backlog of a
 * million rows goes in many short statements, never one long one; and a delete binds each id,
 * which Prisma refuses past 999 bound values on SQLite (P2029), so a batch is at most IN_LIST_SIZE.
 *
 * `readIds(take)`: the next expired ids, read through an index in its own order. `deleteIds`:
 * deletes exactly those ids (by id alone: repeating the conditions made SQLite walk the range again).
 */
export async function deleteInBatches(
  readIds: (take: number) => Promise<number[]>,
  deleteIds: (ids: number[]) => Promise<number>,
  batchSize: number,
): Promise<number> {
  const take = Math.max(1, Math.min(batchSize, IN_LIST_SIZE));
  let deleted = 0;
  for (;;) {
    const ids = await readIds(take);
    if (ids.length === 0) return deleted;
    deleted += await deleteIds(ids);
    if (ids.length < take) return deleted;
    // Requests waiting on the process (a webhook to acknowledge within Shopify's 5 seconds) go first.
    await new Promise((resolve) => setImmediate(resolve));
  }
}
