import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { postgresPoolConfig } from "../../app/db-adapter.server";
import type { TestDatabases } from "./worker-database";

/**
 * One fresh, migrated database per test run: a new SQLite file by default, or a new database on
 * the PostgreSQL server named by UPSHELF_TEST_POSTGRES_URL (`npm run test:postgres`). No test opens
 * it: each worker copies it the first time it needs it (tests/setup/worker-database.ts). Test files
 * in a worker share the copy safely because every row belongs to a shop and each test creates its
 * own shops.
 */
declare module "vitest" {
  export interface ProvidedContext {
    testDatabases: TestDatabases;
    /** Where this run's production build goes, made by the first test that needs it (tests/support/app-server.ts). */
    buildDirectory: string;
  }
}

const root = path.resolve(import.meta.dirname, "../..");

function migrate(databaseUrl: string): void {
  execFileSync(process.execPath, [path.join(root, "node_modules/tsx/dist/cli.mjs"), "scripts/prisma.ts", "deploy"], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: databaseUrl },
    stdio: "inherit",
  });
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const runId = `${Date.now()}_${process.pid}`;
  const removeBuild = provideBuildDirectory(project, runId);
  const postgresUrl = process.env.UPSHELF_TEST_POSTGRES_URL;

  if (!postgresUrl) {
    const file = path.join(root, "tmp", "test", `upshelf-${runId}.sqlite`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const databaseUrl = `file:${path.relative(root, file)}`;
    migrate(databaseUrl);
    // Out of write-ahead logging, so the file alone holds the whole database and can be copied.
    const template = new Database(file);
    template.pragma("journal_mode = DELETE");
    template.close();
    project.provide("testDatabases", { templateUrl: databaseUrl, adminUrl: "" });
    return async () => {
      const prefix = path.basename(file, ".sqlite");
      for (const made of fs.readdirSync(path.dirname(file))) {
        if (made.startsWith(prefix)) fs.rmSync(path.join(path.dirname(file), made), { force: true });
      }
      removeBuild();
    };
  }

  const name = `upshelf_test_${runId}`;
  const admin = new pg.Client(postgresPoolConfig(postgresUrl));
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(postgresUrl);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  migrate(databaseUrl);
  project.provide("testDatabases", { templateUrl: databaseUrl, adminUrl: postgresUrl });
  return async () => {
    const cleanup = new pg.Client(postgresPoolConfig(postgresUrl));
    await cleanup.connect();
    // The template and every worker's copy (its name plus "_w1", "_w2"...).
    const made = await cleanup.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname = $1 OR datname LIKE $2", [name, `${name}\\_w%`]);
    for (const { datname } of made.rows) await cleanup.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    await cleanup.end();
    removeBuild();
  };
}

/** Names this run's build directory (nothing is built unless a test asks); returns its removal. */
function provideBuildDirectory(project: TestProject, runId: string): () => void {
  const directory = path.join(root, "tmp", "test", `build-${runId}`);
  project.provide("buildDirectory", directory);
  return () => {
    for (const made of [directory, `${directory}.lock`]) fs.rmSync(made, { recursive: true, force: true });
  };
}
