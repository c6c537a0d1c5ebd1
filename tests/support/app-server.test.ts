import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "../..");

describe("the app server helpers", () => {
  it("load outside Vitest, as the benchmark scripts (npm run bench:widget) load them", async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ["--import", "tsx", "--input-type=module", "-e", "const m = await import('./tests/support/app-server.ts'); console.log(typeof m.startAppServer);"],
      { cwd: root, env: { ...process.env, VITEST: "", VITEST_WORKER_ID: "", VITEST_POOL_ID: "" } },
    );
    expect(stdout.trim()).toBe("function");
  }, 60_000);
});
