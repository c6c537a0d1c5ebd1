import db from "~/db.server";
import { databaseProvider, databaseUrl } from "~/db-adapter.server";

/** The tables that bulk writes (imports, backfills, the demo seed) fill. */
const BULK_FILLED_TABLES = ["Order", "OrderLine", "Product", "Variant"] as const;
export type BulkFilledTable = (typeof BULK_FILLED_TABLES)[number];

/**
 * Tells PostgreSQL's query planner about rows just written in bulk. Until a table is analysed the
 * planner treats it as nearly empty: on the freshly seeded demo shop the dashboard's
 * attributed-lines query chose a nested loop over all 300,000 lines per order and took 13 s
 * instead of 0.2 s. Autovacuum analyses eventually, but only where it is on (it is off on this
 * project's machines and CI) and only after its naptime. SQLite plans these queries well without
 * statistics, so there it does nothing.
 */
export async function refreshPlannerStatistics(tables: readonly BulkFilledTable[] = BULK_FILLED_TABLES): Promise<void> {
  // An empty list would make ANALYZE read the whole database.
  if (tables.length === 0 || databaseProvider(databaseUrl()) !== "postgresql") return;
  // Names come from the list above, never from input.
  await db.$executeRawUnsafe(`ANALYZE ${tables.map((table) => `"${table}"`).join(", ")}`);
}
