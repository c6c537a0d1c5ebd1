import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createDriverAdapter } from "~/db-adapter.server";
import { PrismaClient } from "~/generated/prisma/sqlite/client";
import { startAppServer, type RunningServer } from "./support/app-server";

const root = path.resolve(import.meta.dirname, "..");

// The server runs on a SQLite file of its own whatever the test database is, so the PostgreSQL
// pass would only repeat it (docs/decisions/0012-ci-time.md).
describe.skipIf(Boolean(process.env.UPSHELF_TEST_POSTGRES_URL))("npm start runs the background upkeep", () => {
  // A database of its own: a started server processes and prunes every shop's deliveries, which
  // in the shared test database belong to other tests.
  const file = path.join(root, "tmp", "test", `startup-retention-${process.pid}.sqlite`);
  const databaseUrl = `file:${path.relative(root, file)}`;
  let server: RunningServer | undefined;

  afterAll(async () => {
    await server?.stop();
    for (const suffix of ["", "-wal", "-shm", "-journal"]) fs.rmSync(file + suffix, { force: true });
  });

  it("removes webhook deliveries and widget events past their retention when it starts", async () => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    execFileSync(process.execPath, [path.join(root, "node_modules/tsx/dist/cli.mjs"), "scripts/prisma.ts", "deploy"], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: databaseUrl },
      stdio: "inherit",
    });
    const client = new PrismaClient({ adapter: createDriverAdapter(databaseUrl) as never });
    const shopId = "retention-startup.myshopify.com";
    await client.shop.create({ data: { id: shopId, name: "Retention", currency: "USD" } });
    const longAgo = new Date(Date.now() - 30 * 86_400_000);
    await client.webhookDelivery.create({ data: { shopId, webhookId: "old", topic: "orders/create", status: "done", payload: "{}", receivedAt: longAgo } });
    await client.webhookDelivery.create({ data: { shopId, webhookId: "new", topic: "orders/create", status: "done", payload: "{}" } });
    // Widget events are kept 400 days (WIDGET_EVENT_RETENTION_DAYS).
    for (const [productId, occurredAt] of [["old", new Date(Date.now() - 500 * 86_400_000)], ["new", new Date()]] as const) {
      await client.widgetEvent.create({ data: { shopId, kind: "impression", placement: "pdp", productId, occurredAt } });
    }
    await client.$disconnect();

    // Shopify mode: no demo shop to seed, and every shop's deliveries are looked after.
    server = await startAppServer({ DATABASE_URL: databaseUrl, SHOPIFY_API_KEY: "key", SHOPIFY_API_SECRET: "secret", SHOPIFY_APP_URL: "http://localhost" });
    await expect.poll(() => server!.output(), { timeout: 60_000, interval: 200 }).toContain("Removed 1 webhook deliveries past their retention.");
    const after = new PrismaClient({ adapter: createDriverAdapter(databaseUrl) as never });
    try {
      expect((await after.webhookDelivery.findMany({ where: { shopId }, select: { webhookId: true } })).map((row) => row.webhookId)).toEqual(["new"]);
      const events = async () => (await after.widgetEvent.findMany({ where: { shopId }, select: { productId: true } })).map((row) => row.productId);
      await expect.poll(events, { timeout: 30_000, interval: 200 }).toEqual(["new"]);
    } finally {
      await after.$disconnect();
    }
  }, 180_000);
});
