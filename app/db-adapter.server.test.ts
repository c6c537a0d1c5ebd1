import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { postgresAdapterOptions, postgresPoolConfig } from "./db-adapter.server";
import { createDb } from "./db.server";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "upshelf-sqlite-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("the SQLite database", () => {
  it("commits while another connection reads the file, and leaves nothing uncommitted", async () => {
    const file = path.join(dir, "readers.sqlite");
    const setup = new Database(file);
    setup.exec("CREATE TABLE note (id INTEGER PRIMARY KEY, text TEXT NOT NULL)");
    setup.close();
    const db = createDb(`file:${file}`);
    try {
      await db.$executeRawUnsafe("INSERT INTO note (text) VALUES ('before')");
      // A reader in the middle of a read transaction (a backup, a sqlite3 shell).
      const reader = new Database(file);
      reader.prepare("BEGIN").run();
      expect(reader.prepare("SELECT count(*) AS n FROM note").get()).toEqual({ n: 1 });
      await db.$transaction(async (tx) => {
        await tx.$executeRawUnsafe("INSERT INTO note (text) VALUES ('in a transaction')");
      });
      reader.prepare("COMMIT").run();
      reader.close();
      await db.$executeRawUnsafe("INSERT INTO note (text) VALUES ('after')");
      // Another connection sees every write: none is left in a transaction that never commits.
      const other = new Database(file, { timeout: 1_000 });
      expect(other.prepare("SELECT text FROM note ORDER BY id").all()).toEqual([{ text: "before" }, { text: "in a transaction" }, { text: "after" }]);
      other.close();
    } finally {
      await db.$disconnect();
    }
  });

  it("gives a transaction that reads before it writes the write lock from its start, so a writer in another process waits instead of failing it", async () => {
    const file = path.join(dir, "two-writers.sqlite");
    const setup = new Database(file);
    setup.exec("CREATE TABLE note (id INTEGER PRIMARY KEY, text TEXT NOT NULL)");
    setup.close();
    const db = createDb(`file:${file}`);
    // Another process's connection, told not to wait so the test sees who holds the lock.
    const other = new Database(file, { timeout: 0 });
    try {
      await db.$executeRawUnsafe("INSERT INTO note (text) VALUES ('before')");
      await db.$transaction(async (tx) => {
        await tx.$queryRawUnsafe("SELECT count(*) FROM note");
        // With a deferred BEGIN this write went through, and the transaction's own write below
        // then failed at once with "database is locked" (its snapshot was out of date).
        expect(() => other.prepare("INSERT INTO note (text) VALUES ('other process')").run()).toThrow(/locked|busy/i);
        await tx.$executeRawUnsafe("INSERT INTO note (text) VALUES ('in a transaction')");
      });
      other.prepare("INSERT INTO note (text) VALUES ('other process')").run();
      expect(other.prepare("SELECT text FROM note ORDER BY id").all()).toEqual([{ text: "before" }, { text: "in a transaction" }, { text: "other process" }]);
    } finally {
      other.close();
      await db.$disconnect();
    }
  });
});

describe("the SQLite database held by another process", () => {
  it("fails a transaction that cannot get the write lock in time, and starts the next one once the lock is free", async () => {
    const file = path.join(dir, "held.sqlite");
    const setup = new Database(file);
    setup.exec("CREATE TABLE note (id INTEGER PRIMARY KEY, text TEXT NOT NULL)");
    setup.close();
    const db = createDb(`file:${file}`);
    const other = new Database(file);
    try {
      await db.$executeRawUnsafe("INSERT INTO note (text) VALUES ('before')");
      // A long import in another process holds the write lock past the 5 s busy timeout.
      other.prepare("BEGIN IMMEDIATE").run();
      await expect(db.$transaction(async (tx) => tx.$executeRawUnsafe("INSERT INTO note (text) VALUES ('blocked')"))).rejects.toThrow(/locked|busy/i);
      other.prepare("COMMIT").run();
      // Had the failed start kept the adapter's lock, this one would wait for good (Prisma gives up after 2 s).
      await db.$transaction(async (tx) => tx.$executeRawUnsafe("INSERT INTO note (text) VALUES ('after')"));
      expect(other.prepare("SELECT text FROM note ORDER BY id").all()).toEqual([{ text: "before" }, { text: "after" }]);
    } finally {
      other.close();
      await db.$disconnect();
    }
  }, 20_000);
});

describe("a PostgreSQL URL", () => {
  it("keeps Prisma's ?schema=: the adapter qualifies tables with it and plain SQL (migrations) runs in it", () => {
    const url = "postgresql://app:s%40cret@db.example:6543/shop?schema=staging&sslmode=require";
    expect(postgresPoolConfig(url)).toEqual({
      host: "db.example",
      port: 6543,
      user: "app",
      password: "s@cret",
      database: "shop",
      ssl: { rejectUnauthorized: false },
      options: '-c search_path="staging"',
    });
    expect(postgresAdapterOptions(url)).toEqual({ schema: "staging" });
    // Without it, public, as before.
    expect(postgresAdapterOptions("postgresql://postgres@127.0.0.1:5432/test")).toEqual({});
    expect(postgresPoolConfig("postgresql://postgres@127.0.0.1:5432/test")).not.toHaveProperty("options");
  });
});
