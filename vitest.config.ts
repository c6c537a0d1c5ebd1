import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";
import tsconfigPaths from "vite-tsconfig-paths";

// Tests run without the Remix Vite plugin: route modules are imported directly
// and called with real Request objects.
export default defineConfig({
  plugins: [tsconfigPaths()],
  test: {
    include: ["app/**/*.test.{ts,tsx}", "tests/**/*.test.{ts,tsx}", "extensions/**/*.test.{ts,tsx}", "scripts/**/*.test.ts"],
    exclude: ["**/node_modules/**", "build/**"],
    setupFiles: ["./tests/setup/setup-test-env.ts"],
    globalSetup: ["./tests/setup/global-setup.ts"],
    testTimeout: 20_000,
    hookTimeout: 120_000,
    pool: "forks",
    // At least two workers, even on 2 cores (Vitest's default there is one): the browser files
    // spend much of their time waiting on Chromium and their app server, and the other worker
    // uses that time. Each worker has its own database (tests/setup/worker-database.ts).
    maxWorkers: Math.max(2, availableParallelism() - 1),
  },
});
