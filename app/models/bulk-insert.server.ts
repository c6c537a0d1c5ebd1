import type { Db } from "~/db.server";
import { databaseProvider, databaseUrl } from "~/db-adapter.server";

type Executor = Pick<Db, "$executeRawUnsafe">;
type SqlValue = string | number | boolean | Date | null;

// Bound-parameter limits: SQLite 32,766, PostgreSQL 65,535. Stay well under both.
const MAX_PARAMETERS = 30_000;

/**
 * Inserts many rows in few statements. Prisma's createMany costs about ten times more per row
 * through the JS query engine, which made seeding the demo shop's 300,000 order lines take a
 * minute; imports and order backfills use this for their bulk rows. Table and column names come
 * from our own code, never from input; values are always bound parameters.
 */
export async function bulkInsert<Column extends string>(
  executor: Executor,
  table: string,
  columns: readonly Column[],
  rows: ReadonlyArray<Record<Column, SqlValue>>,
): Promise<number> {
  if (rows.length === 0) return 0;
  const postgres = databaseProvider(databaseUrl()) === "postgresql";
  const columnList = columns.map((column) => `"${column}"`).join(", ");
  const rowsPerStatement = Math.max(1, Math.floor(MAX_PARAMETERS / columns.length));
  let inserted = 0;
  for (let start = 0; start < rows.length; start += rowsPerStatement) {
    const batch = rows.slice(start, start + rowsPerStatement);
    const values: SqlValue[] = [];
    const tuples = batch.map((row) => {
      const placeholders = columns.map((column) => {
        values.push(row[column]);
        return postgres ? `$${values.length}` : "?";
      });
      return `(${placeholders.join(", ")})`;
    });
    inserted += await executor.$executeRawUnsafe(
      `INSERT INTO "${table}" (${columnList}) VALUES ${tuples.join(", ")}`,
      ...values,
    );
  }
  return inserted;
}
