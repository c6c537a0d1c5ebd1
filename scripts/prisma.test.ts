import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it, vi } from "vitest";
import { deployMigrations, derivePostgresSchema } from "./prisma";

describe("the PostgreSQL schema", () => {
  it("is exactly the SQLite source schema with the provider swapped (run `npm run db:schema:sync` if not)", () => {
    const source = fs.readFileSync("prisma/schema.prisma", "utf8");
    expect(fs.readFileSync("prisma/postgresql/schema.prisma", "utf8")).toBe(derivePostgresSchema(source));
  });

  it("has a migration folder for every migration of the SQLite schema", () => {
    const names = (dir: string) => fs.readdirSync(dir).filter((entry) => /^\d+_/.test(entry)).map((e) => e.replace(/^\d+_/, ""));
    expect(names("prisma/postgresql/migrations")).toEqual(names("prisma/migrations"));
  });
});

describe("the Node.js versions package.json admits", () => {
  it("all have import.meta.dirname (20.11), which this script needs when npm install runs it", () => {
    const engines = (JSON.parse(fs.readFileSync("package.json", "utf8")) as { engines: { node: string } }).engines.node;
    const [major = 0, minor = 0] = (/^>=(\d+)\.(\d+)/.exec(engines) ?? []).slice(1).map(Number);
    expect(major > 20 || (major === 20 && minor >= 11), `engines.node is "${engines}"`).toBe(true);
    expect(fs.readFileSync("README.md", "utf8")).toContain(`Node.js ${major}.${minor} or newer`);
  });
});

describe("applying migrations", () => {
  it("says which file another process holds open, instead of Prisma's 'unknown variant SocketTimeout'", async () => {
    const file = path.join(os.tmpdir(), `upshelf-busy-${process.pid}-${Date.now()}.sqlite`);
    const url = `file:${file}`;
    vi.stubEnv("DATABASE_URL", url);
    const quiet = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      deployMigrations();
      const holder = new Database(file);
      holder.exec("BEGIN EXCLUSIVE");
      try {
        expect(() => deployMigrations()).toThrow(`Database migrations failed: another process has ${url} open`);
      } finally {
        holder.exec("COMMIT");
        holder.close();
      }
      // Once it is free, the same call goes through.
      expect(() => deployMigrations()).not.toThrow();
    } finally {
      quiet.mockRestore();
      vi.unstubAllEnvs();
      fs.rmSync(file, { force: true });
    }
  }, 60_000);
});
