import { PrismaClient as PostgresClient } from "./generated/prisma/postgresql/client";
import { PrismaClient as SqliteClient } from "./generated/prisma/sqlite/client";
import { createDriverAdapter, databaseProvider, databaseUrl } from "./db-adapter.server";

/**
 * The app's one Prisma client. Both generated clients come from the same models
 * (prisma/postgresql/schema.prisma is derived from prisma/schema.prisma), so their query API is
 * the same; the SQLite client's type stands for both.
 */
export type Db = SqliteClient;
export type { Prisma } from "./generated/prisma/sqlite/client";

export function createDb(url: string = databaseUrl()): Db {
  const adapter = createDriverAdapter(url);
  if (databaseProvider(url) === "sqlite") {
    return new SqliteClient({ adapter });
  }
  return new PostgresClient({ adapter }) as unknown as Db;
}

declare global {
  // Reused across Vite's module reloads in development so connections are not leaked.
  var upshelfDb: Db | undefined;
}

const db: Db = globalThis.upshelfDb ?? createDb();
if (process.env.NODE_ENV !== "production") globalThis.upshelfDb = db;

export default db;
