import { afterEach, inject, vi } from "vitest";
import { workerDatabaseUrl } from "./worker-database";

// Point the app at this worker's test database before any test imports app/db.server.ts.
process.env.DATABASE_URL = await workerDatabaseUrl(inject("testDatabases"), process.env.VITEST_POOL_ID ?? "1");

afterEach(() => {
  vi.restoreAllMocks();
});
