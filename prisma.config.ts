import path from "node:path";
import { defineConfig } from "prisma/config";
import { createMigrationAdapter, databaseProvider, databaseUrl, schemaPathFor } from "./app/db-adapter.server";

// Prisma's JavaScript schema engine: migrations run through the same driver adapters the app
// uses, so no native engine binary is downloaded (docs/decisions/0002-prisma-without-native-engines.md).
const url = databaseUrl();
const schema = schemaPathFor(databaseProvider(url));

export default defineConfig({
  engine: "js",
  experimental: { adapter: true },
  schema,
  migrations: { path: path.join(path.dirname(schema), "migrations") },
  adapter: async () => createMigrationAdapter(url),
});
