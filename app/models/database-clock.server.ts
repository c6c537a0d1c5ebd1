/**
 * The database's time, for leases that several app processes judge: a job's runner and a webhook
 * delivery's claim hold until a time, and another process takes over only once that time has
 * passed. Judged with each host's own clock, a host whose clock ran ahead took over work a live
 * host was still doing, and a runner whose clock ran behind wrote leases that had already ended.
 * Every process shares the one database clock, so leases are written and compared with it.
 *
 * `CURRENT_TIMESTAMP` is the same SQL on both databases: PostgreSQL answers a timestamp (the
 * statement's, outside a transaction), SQLite UTC text to the second ("2026-12-07 10:00:00"). A
 * second's precision is plenty for leases of minutes. On SQLite the database's clock is the host's
 * own; only one host can use the file.
 */
import db from "~/db.server";

export async function databaseNow(): Promise<Date> {
  const [row] = await db.$queryRaw<{ now: unknown }[]>`SELECT CURRENT_TIMESTAMP AS "now"`;
  const value = row?.now;
  const now = value instanceof Date ? value : typeof value === "string" ? new Date(`${value.replace(" ", "T")}Z`) : new Date(NaN);
  if (Number.isNaN(now.getTime())) throw new Error(`The database answered CURRENT_TIMESTAMP with ${String(value)}.`);
  return now;
}

/** The end of a lease of `ms` taken at the database time `now`. */
export function leaseEnd(now: Date, ms: number): Date {
  return new Date(now.getTime() + ms);
}
