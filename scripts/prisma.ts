/**
 * The one entry point for Prisma tooling. It exists because:
 * - the native Prisma engines cannot be downloaded here, and `prisma generate` still tries unless
 *   the engine variables point at some existing file (we point them at the Node binary; the JS
 *   engine path never executes them);
 * - a Prisma schema names one provider, so prisma/postgresql/schema.prisma is derived from
 *   prisma/schema.prisma and each provider has its own migrations folder;
 * - `prisma migrate dev` does not work with the JS engine (P1014), so new migrations are written
 *   with `prisma migrate diff` for both providers at once.
 *
 * Usage: tsx scripts/prisma.ts generate | deploy | new-migration <name> | check-schema
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { databaseProvider, databaseUrl, schemaPathFor, type DatabaseProvider } from "../app/db-adapter.server";

const root = path.resolve(import.meta.dirname, "..");
const prismaBin = path.join(root, "node_modules", ".bin", "prisma");
const providers: DatabaseProvider[] = ["sqlite", "postgresql"];

const SOURCE_SCHEMA = path.join(root, schemaPathFor("sqlite"));
const POSTGRES_SCHEMA = path.join(root, schemaPathFor("postgresql"));

export function derivePostgresSchema(source: string): string {
  const derived = source
    .replace(/provider\s*=\s*"sqlite"/, 'provider = "postgresql"')
    .replace(/output\s*=\s*"\.\.\/app\/generated\/prisma\/sqlite"/, 'output          = "../../app/generated/prisma/postgresql"');
  if (!derived.includes('provider = "postgresql"') || !derived.includes("generated/prisma/postgresql")) {
    throw new Error("prisma/schema.prisma no longer has the datasource/generator lines scripts/prisma.ts rewrites.");
  }
  return `// GENERATED from prisma/schema.prisma by \`npm run db:schema:sync\`. Edit the source, not this file.\n${derived}`;
}

function syncPostgresSchema(): void {
  fs.mkdirSync(path.dirname(POSTGRES_SCHEMA), { recursive: true });
  fs.writeFileSync(POSTGRES_SCHEMA, derivePostgresSchema(fs.readFileSync(SOURCE_SCHEMA, "utf8")));
}

function prisma(args: string[], env: Record<string, string> = {}, capture = false): string {
  const output = execFileSync(prismaBin, args, {
    cwd: root,
    env: {
      ...process.env,
      PRISMA_SCHEMA_ENGINE_BINARY: process.execPath,
      PRISMA_QUERY_ENGINE_LIBRARY: process.execPath,
      PRISMA_HIDE_UPDATE_MESSAGE: "1",
      ...env,
    },
    stdio: capture ? ["ignore", "pipe", "pipe"] : "inherit",
    encoding: "utf8",
  });
  return output ?? "";
}

// prisma.config.ts picks the schema from DATABASE_URL; generate and diff need a URL of the provider.
const sampleUrl: Record<DatabaseProvider, string> = {
  sqlite: "file:./prisma/dev.sqlite",
  postgresql: "postgresql://postgres@127.0.0.1:5432/test",
};

function generate(): void {
  syncPostgresSchema();
  for (const provider of providers) {
    prisma(["generate", "--schema", schemaPathFor(provider)], { DATABASE_URL: sampleUrl[provider] });
  }
}

/**
 * Applies pending migrations to the DATABASE_URL database (quietly unless something fails), or to
 * the default SQLite file when it is unset, as the app itself does.
 */
export function deployMigrations(): void {
  const url = databaseUrl();
  databaseProvider(url); // fail early with a clear message on a malformed URL
  try {
    prisma(["migrate", "deploy"], { DATABASE_URL: url }, true);
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    const output = [stdout, stderr].filter(Boolean).join("\n");
    console.error(output);
    // Prisma's SQLite migrator takes the file exclusively and reports a busy file as the
    // baffling "unknown variant `SocketTimeout`".
    if (/SocketTimeout|SQLITE_BUSY|database is locked/.test(output)) {
      throw new Error(
        `Database migrations failed: another process has ${url} open (a running Upshelf, a sqlite3 shell, a database browser). Stop it and try again.`,
      );
    }
    throw new Error("Database migrations failed (see above).");
  }
}

function newMigration(name: string | undefined): void {
  if (!name || !/^[a-z0-9_]+$/.test(name)) {
    throw new Error("Usage: npm run db:migration:new -- <name_in_snake_case>");
  }
  syncPostgresSchema();
  const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
  for (const provider of providers) {
    const schema = schemaPathFor(provider);
    const migrations = path.join(path.dirname(schema), "migrations");
    const hasMigrations = fs.existsSync(migrations) && fs.readdirSync(migrations).some((e) => /^\d+_/.test(e));
    const from = hasMigrations ? ["--from-migrations", migrations] : ["--from-empty"];
    const sql = prisma(
      ["migrate", "diff", ...from, "--to-schema-datamodel", schema, "--script"],
      { DATABASE_URL: process.env[`${provider.toUpperCase()}_MIGRATION_URL`] ?? sampleUrl[provider] },
      true,
    );
    if (!/^\s*(CREATE|ALTER|DROP|INSERT|PRAGMA|UPDATE|DELETE)/im.test(sql)) {
      console.log(`${provider}: schema and migrations already agree; nothing written.`);
      continue;
    }
    const folder = path.join(migrations, `${stamp}_${name}`);
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(path.join(folder, "migration.sql"), sql);
    const lock = path.join(migrations, "migration_lock.toml");
    if (!fs.existsSync(lock)) {
      fs.writeFileSync(lock, `# Written by scripts/prisma.ts; keep in version control.\nprovider = "${provider}"\n`);
    }
    console.log(`${provider}: wrote ${path.relative(root, folder)}/migration.sql`);
  }
}

function checkSchema(): void {
  const expected = derivePostgresSchema(fs.readFileSync(SOURCE_SCHEMA, "utf8"));
  const actual = fs.existsSync(POSTGRES_SCHEMA) ? fs.readFileSync(POSTGRES_SCHEMA, "utf8") : "";
  if (expected !== actual) {
    throw new Error("prisma/postgresql/schema.prisma is out of date: run `npm run db:schema:sync`.");
  }
}

function cli(): void {
const [command, ...rest] = process.argv.slice(2);
const commands: Record<string, () => void> = {
  generate,
  deploy: deployMigrations,
  "new-migration": () => newMigration(rest[0]),
  "sync-schema": syncPostgresSchema,
  "check-schema": checkSchema,
};
const run = command ? commands[command] : undefined;
if (!run) {
  console.error(`Usage: tsx scripts/prisma.ts ${Object.keys(commands).join(" | ")}`);
  process.exit(2);
}
try {
  run();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) cli();
