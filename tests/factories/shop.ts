import { randomUUID } from "node:crypto";
import db from "~/db.server";

/** A new shop with a unique domain: tests never see each other's rows. */
export async function createTestShop(overrides: { name?: string; currency?: string } = {}) {
  const id = `test-${randomUUID().slice(0, 12)}.myshopify.com`;
  return db.shop.create({
    data: { id, name: overrides.name ?? "Test Shop", currency: overrides.currency ?? "USD" },
  });
}
