import { z } from "zod";

/**
 * The largest value an `Int` column holds on PostgreSQL (int4). SQLite holds more, but the app
 * must behave the same on both: an amount or id past this is refused with a clear error before
 * it reaches the database, where it would fail as a driver error (a 500, or an import stopped
 * half-way).
 */
export const MAX_INT_COLUMN = 2_147_483_647;

/** Whether `value` is a whole number an `Int` column can store. */
export function fitsIntColumn(value: unknown): value is number {
  return typeof value === "number" && Number.isInteger(value) && Math.abs(value) <= MAX_INT_COLUMN;
}

/**
 * A row id taken from a request (a URL segment, a form field). Anything larger than a column
 * holds cannot name a row (Prisma also refuses numbers past 64 bits before asking the database):
 * it is a 404 or a 400, not a 500.
 */
export const rowIdSchema = z.coerce.number().int().positive().max(MAX_INT_COLUMN);
