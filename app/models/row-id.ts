import { z } from "zod";

/**
 * A row id taken from a request (a URL segment, a form field). Autoincrement ids are 32-bit
 * integers on PostgreSQL, and Prisma refuses numbers past 64 bits before asking the database, so
 * anything larger cannot name a row: it must be a 404 or a 400, not a driver error answered 500.
 */
export const rowIdSchema = z.coerce.number().int().positive().max(2_147_483_647);
