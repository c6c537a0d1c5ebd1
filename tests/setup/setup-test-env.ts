import { afterEach, inject, vi } from "vitest";

// Point the app at this run's test database before any test imports app/db.server.ts.
process.env.DATABASE_URL = inject("databaseUrl");

afterEach(() => {
  vi.restoreAllMocks();
});
