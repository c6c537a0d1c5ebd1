import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { freePort, runServerExpectingExit } from "./support/app-server";

const root = path.resolve(import.meta.dirname, "..");

describe("npm start refuses unsafe configurations", () => {
  it("exits non-zero in production without credentials, naming the required variables", async () => {
    const { code, output } = await runServerExpectingExit({ NODE_ENV: "production" });
    expect(code).not.toBe(0);
    expect(output).toMatch(/SHOPIFY_API_KEY, SHOPIFY_API_SECRET, SHOPIFY_APP_URL/);
  });

  it("exits non-zero with half-configured credentials, naming what is missing", async () => {
    const { code, output } = await runServerExpectingExit({ SHOPIFY_API_KEY: "key" });
    expect(code).not.toBe(0);
    expect(output).toMatch(/SHOPIFY_API_SECRET, SHOPIFY_APP_URL missing/);
  });

  it("exits non-zero on a port that is taken, saying so and how to choose another, not with Node's stack", async () => {
    const port = await freePort();
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(port, "127.0.0.1", resolve));
    // A database of its own, which it should never open: the port is taken before migrations.
    const file = path.join(root, "tmp", "test", `startup-port-${process.pid}.sqlite`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    try {
      const { code, output } = await runServerExpectingExit({
        PORT: String(port),
        HOST: "127.0.0.1",
        DATABASE_URL: `file:${path.relative(root, file)}`,
        SHOPIFY_API_KEY: "key",
        SHOPIFY_API_SECRET: "secret",
        SHOPIFY_APP_URL: "http://localhost",
      });
      expect(code).toBe(1);
      expect(output).toContain(`Port ${port} is already in use on 127.0.0.1`);
      expect(output).toContain("PORT=3001 npm start");
      expect(output).not.toMatch(/Unhandled 'error' event/);
      expect(fs.existsSync(file)).toBe(false);
    } finally {
      await new Promise((resolve) => taken.close(resolve));
      for (const suffix of ["", "-wal", "-shm", "-journal"]) fs.rmSync(file + suffix, { force: true });
    }
  }, 60_000);
});
