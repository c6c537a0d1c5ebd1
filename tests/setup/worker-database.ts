import fs from "node:fs";
import path from "node:path";

/**
 * Each Vitest worker gets its own copy of the run's migrated database, made the first time one of
 * its test files starts. Test files in one worker run one after another, so a test that sweeps
 * every shop's rows (a started server pruning deliveries, the job sweep) still sees only its own
 * worker's rows, whatever runs in the other workers; and SQLite never waits on another process's
 * write lock. (docs/decisions/0012-ci-time.md)
 */
export async function workerDatabaseUrl(run: TestDatabases, poolId: string): Promise<string> {
  const suffix = `w${poolId.replace(/\D/g, "") || "1"}`;
  // Plain string tests and a lazy import: this runs before every test file, most of which never
  // touch PostgreSQL, and loading its client and adapters for each of them costs seconds a run.
  if (run.templateUrl.startsWith("file:")) return copySqliteDatabase(run.templateUrl, suffix);
  return createPostgresDatabase(run, suffix);
}

/** The run's migrated database, which no test opens, and for PostgreSQL the server's database to connect to while copying it. */
export interface TestDatabases {
  templateUrl: string;
  adminUrl: string;
}

function copySqliteDatabase(templateUrl: string, suffix: string): string {
  const template = path.resolve(templateUrl.slice("file:".length));
  const extension = path.extname(template);
  const copy = `${template.slice(0, template.length - extension.length)}-${suffix}${extension}`;
  if (!fs.existsSync(copy)) {
    // Copied aside, then renamed: a copy cut short is never taken for a database.
    const partial = `${copy}.partial`;
    fs.copyFileSync(template, partial);
    fs.renameSync(partial, copy);
  }
  return `file:${copy}`;
}

async function createPostgresDatabase(run: TestDatabases, suffix: string): Promise<string> {
  const [{ default: pg }, { postgresPoolConfig }] = await Promise.all([import("pg"), import("../../app/db-adapter.server")]);
  const url = new URL(run.templateUrl);
  const template = decodeURIComponent(url.pathname.slice(1));
  const name = `${template}_${suffix}`;
  // Not the template itself: PostgreSQL copies a database only while nobody is connected to it.
  const admin = new pg.Client(postgresPoolConfig(run.adminUrl));
  await admin.connect();
  try {
    const existing = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (existing.rowCount === 0) await createFromTemplate(admin, name, template);
  } finally {
    await admin.end();
  }
  url.pathname = `/${name}`;
  return url.toString();
}

async function createFromTemplate(admin: { query: (sql: string) => Promise<unknown> }, name: string, template: string): Promise<void> {
  // Another worker copying the same template at the same moment makes PostgreSQL answer
  // "source database is being accessed by other users" (55006); that passes in a moment.
  for (let attempt = 1; ; attempt += 1) {
    try {
      await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== "55006" || attempt === 20) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}
