import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { derivePostgresSchema } from "./prisma";

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
