import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import Database from "better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";

/**
 * Which database a DATABASE_URL points at, and the Prisma driver adapter for it. Shared by the
 * app (db.server.ts) and the migration tooling (prisma.config.ts) so both always agree.
 */
export type DatabaseProvider = "sqlite" | "postgresql";

export const DEFAULT_DATABASE_URL = "file:./prisma/dev.sqlite";

export function databaseUrl(env: Record<string, string | undefined> = process.env): string {
  const url = env.DATABASE_URL?.trim();
  return url ? url : DEFAULT_DATABASE_URL;
}

export function databaseProvider(url: string): DatabaseProvider {
  if (url.startsWith("file:")) return "sqlite";
  if (url.startsWith("postgresql://") || url.startsWith("postgres://")) return "postgresql";
  throw new Error(
    `DATABASE_URL must start with "file:" (SQLite) or "postgresql://" (PostgreSQL); got "${url.split(":")[0]}:...".`,
  );
}

/** The schema file for a provider: prisma/schema.prisma is the source, the PostgreSQL one is derived. */
export function schemaPathFor(provider: DatabaseProvider): string {
  return provider === "sqlite" ? "prisma/schema.prisma" : "prisma/postgresql/schema.prisma";
}

/** SQLite file paths are relative to the project root (the working directory), not to the schema. */
export function sqliteFilePath(url: string): string {
  const file = url.slice("file:".length).split("?")[0] ?? "";
  return file === ":memory:" ? file : path.resolve(file);
}

export function createDriverAdapter(url: string): PrismaBetterSQLite3 | PrismaPg {
  if (databaseProvider(url) === "sqlite") {
    const file = sqliteFilePath(url);
    // SQLite creates the file but not its folder; a fresh clone has neither.
    if (file !== ":memory:") {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      useWriteAheadLog(file);
    }
    return new SQLiteWithImmediateTransactions({ url: `file:${file}` });
  }
  return new PrismaPg(postgresPoolConfig(url), postgresAdapterOptions(url));
}

/**
 * Prisma's `?schema=` (a PostgreSQL schema other than `public`, to keep, say, staging beside
 * production in one database): the adapter qualifies every table with it. Dropped, the app had
 * silently read and written `public`.
 */
export function postgresAdapterOptions(url: string): { schema?: string } {
  const schema = new URL(url).searchParams.get("schema");
  return schema ? { schema } : {};
}

/**
 * Prisma's SQLite adapter opens every transaction with a plain (deferred) `BEGIN`, which takes the
 * write lock only at the transaction's first write. If another process (a second server, a script,
 * a test writing beside its app server) commits a write after this transaction's first read and
 * before its first write, SQLite cannot let it write on a snapshot that is out of date and fails it
 * at once with "database is locked": no busy timeout helps. `BEGIN IMMEDIATE` takes the write lock
 * at the start, so the other writer waits for the lock (better-sqlite3's 5 s busy timeout) instead.
 * In one process nothing changes: the adapter already runs one transaction at a time.
 */
class SQLiteWithImmediateTransactions extends PrismaBetterSQLite3 {
  override async connect(): ReturnType<PrismaBetterSQLite3["connect"]> {
    const adapter = await super.connect();
    // The adapter keeps its better-sqlite3 connection as `client` and sends "BEGIN" through
    // `client.prepare`; checked here so that an adapter upgrade that changes either fails loudly.
    const client = (adapter as unknown as { client?: Database.Database }).client;
    if (!client || typeof client.prepare !== "function") throw new Error("@prisma/adapter-better-sqlite3 no longer exposes its connection; see SQLiteWithImmediateTransactions");
    const prepare = client.prepare.bind(client);
    const begin = { run: () => beginImmediately(prepare) };
    client.prepare = ((sql: string) => (sql === "BEGIN" ? begin : prepare(sql))) as typeof client.prepare;
    return adapter;
  }
}

/**
 * `BEGIN IMMEDIATE`, or, when another process holds the write lock past the busy timeout, a plain
 * `BEGIN`. The adapter releases its one-transaction-at-a-time lock only on commit or rollback, not
 * when `BEGIN` throws: a throwing `BEGIN` would leave every later transaction of the process waiting
 * for good. The plain `BEGIN` always starts; the transaction then fails at its first write, and
 * Prisma's rollback releases the lock.
 */
function beginImmediately(prepare: Database.Database["prepare"]): Database.RunResult {
  try {
    return prepare("BEGIN IMMEDIATE").run();
  } catch (error) {
    if ((error as { code?: string }).code !== "SQLITE_BUSY") throw error;
    return prepare("BEGIN").run();
  }
}

/**
 * Write-ahead logging, which SQLite keeps in the file once set. In its default rollback-journal
 * mode a commit waits for every reader to finish: a reader holding the file (a backup, a `sqlite3`
 * shell) made a transaction's COMMIT time out, and Prisma's adapter then left the app's one
 * connection inside that transaction, so every later write went into a transaction never committed
 * (lost at restart) and held the file locked for anyone else. With the log, readers never block a
 * commit.
 */
function useWriteAheadLog(file: string): void {
  const connection = new Database(file);
  try {
    connection.pragma("journal_mode = WAL");
  } finally {
    connection.close();
  }
}

/**
 * Explicit pool fields rather than `connectionString`: node-postgres lets a connection string
 * override `database`, which would point Prisma's temporary shadow database at the real one.
 */
export function postgresPoolConfig(url: string) {
  const parsed = new URL(url);
  const sslmode = parsed.searchParams.get("sslmode");
  const schema = parsed.searchParams.get("schema");
  return {
    host: decodeURIComponent(parsed.hostname) || "localhost",
    port: parsed.port ? Number(parsed.port) : 5432,
    user: decodeURIComponent(parsed.username) || undefined,
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    database: decodeURIComponent(parsed.pathname.slice(1)) || undefined,
    ssl: sslmode && sslmode !== "disable" ? { rejectUnauthorized: sslmode === "verify-full" } : undefined,
    // Unqualified SQL (the migrations' scripts) lands in the URL's schema too.
    ...(schema ? { options: `-c search_path="${schema.replace(/"/g, '""')}"` } : {}),
  };
}

// PostgreSQL's internal `"char"` and `name` types (OIDs 18, 19) appear in the catalog queries
// Prisma's JS schema engine runs; @prisma/adapter-pg 6.19 cannot map them (prisma/orm#27403), so
// migrations fail. For the migration tooling only, report them as `text` (OID 25): their content is text.
const PG_CATALOG_TEXT_OIDS = new Set([18, 19]);
const PG_TEXT_OID = 25;

interface PerformsIO {
  performIO(query: unknown): Promise<{ fields?: Array<{ dataTypeID: number }> }>;
}

function readNameColumnsAsText<T extends object>(queryable: T): T {
  const target = queryable as T & Partial<PerformsIO>;
  const performIO = target.performIO?.bind(queryable);
  if (!performIO) return queryable;
  target.performIO = async (query: unknown) => {
    const result = await performIO(query);
    for (const field of result.fields ?? []) {
      if (PG_CATALOG_TEXT_OIDS.has(field.dataTypeID)) field.dataTypeID = PG_TEXT_OID;
    }
    return result;
  };
  const withTransactions = queryable as T & { startTransaction?: (...args: unknown[]) => Promise<object> };
  const startTransaction = withTransactions.startTransaction?.bind(queryable);
  if (startTransaction) {
    withTransactions.startTransaction = async (...args: unknown[]) => readNameColumnsAsText(await startTransaction(...args));
  }
  return queryable;
}

/** The driver adapter for Prisma's migration tooling (prisma.config.ts). */
export function createMigrationAdapter(url: string): PrismaBetterSQLite3 | PrismaPg {
  const factory = createDriverAdapter(url);
  if (!(factory instanceof PrismaPg)) {
    const connectToShadowDb = factory.connectToShadowDb.bind(factory);
    factory.connectToShadowDb = async () => runWholeMigrationScripts(await connectToShadowDb());
    return factory;
  }
  const connect = factory.connect.bind(factory);
  factory.connect = async () => readNameColumnsAsText(await connect());
  // Our own shadow database: the adapter's drops it while its pool is still connected.
  factory.connectToShadowDb = async () => {
    const admin = await factory.connect();
    const name = `upshelf_shadow_${randomUUID().replace(/-/g, "")}`;
    await admin.executeScript(`CREATE DATABASE "${name}"`);
    const shadow = readNameColumnsAsText(await new PrismaPg({ ...postgresPoolConfig(url), database: name }, postgresAdapterOptions(url)).connect());
    // A new database has only `public`: the URL's own schema must exist before migrations run in it.
    const { schema } = postgresAdapterOptions(url);
    if (schema) await shadow.executeScript(`CREATE SCHEMA IF NOT EXISTS "${schema.replace(/"/g, '""')}"`);
    const dispose = shadow.dispose.bind(shadow);
    shadow.dispose = async () => {
      await dispose();
      await admin.executeScript(`DROP DATABASE IF EXISTS "${name}"`);
      await admin.dispose();
    };
    return shadow;
  };
  return factory;
}

interface ExecutesSql {
  executeRaw(query: { sql: string; args: unknown[] }): Promise<number>;
  executeScript(script: string): Promise<void>;
}

// `prisma migrate diff --from-migrations` replays each migration file on the SQLite shadow
// database through executeRaw, which better-sqlite3 limits to one statement per call. A
// parameterless multi-statement text is a migration script: run it as one.
function runWholeMigrationScripts<T extends ExecutesSql>(adapter: T): T {
  const executeRaw = adapter.executeRaw.bind(adapter);
  adapter.executeRaw = async (query) => {
    if (query.args.length > 0) return executeRaw(query);
    await adapter.executeScript(query.sql);
    return 0;
  };
  return adapter;
}
