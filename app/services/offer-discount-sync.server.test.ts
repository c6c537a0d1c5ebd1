import { beforeEach, describe, expect, it, vi } from "vitest";
import db from "~/db.server";
import type * as IndexSync from "~/services/storefront-index-sync.server";
import { createTestShop } from "../../tests/factories/shop";
import { syncDiscountsAfterChange } from "./offer-discount-sync.server";

// The real syncs run (recording, for a demo-flagged shop); a test can make the index sync fail.
const indexControl = vi.hoisted(() => ({ failure: null as null | { errors: string[] } | Error }));
vi.mock("~/services/storefront-index-sync.server", async (importOriginal) => {
  const original = await importOriginal<typeof IndexSync>();
  return {
    ...original,
    syncStorefrontIndex: async (shopId: string) => {
      const failure = indexControl.failure;
      if (failure instanceof Error) throw failure;
      const result = await original.syncStorefrontIndex(shopId);
      return failure ? { ...result, ok: false, errors: failure.errors } : result;
    },
  };
});

beforeEach(() => {
  indexControl.failure = null;
});

async function demoShop() {
  const shop = await createTestShop();
  await db.shop.update({ where: { id: shop.id }, data: { isDemo: true } });
  return shop.id;
}

describe("syncDiscountsAfterChange", () => {
  it("writes the storefront offer index after the discount sync", async () => {
    const shopId = await demoShop();
    expect(await syncDiscountsAfterChange(shopId)).toEqual({ ran: true, errors: [], warnings: [], leftOut: [] });
    const operations = (await db.recordedAdminCall.findMany({ where: { shopId }, orderBy: { id: "asc" } })).map((call) => call.operation);
    expect(operations.slice(-2)).toEqual(["UpshelfAppInstallation", "UpshelfStorefrontIndexSet"]);
    expect(operations.indexOf("UpshelfDiscountSyncContext")).toBeLessThan(operations.indexOf("UpshelfAppInstallation"));
  });

  it("adds the index's errors, and an unexpected failure, to what the admin shows", async () => {
    const shopId = await demoShop();
    indexControl.failure = { errors: ["Storefront offer index: metafields.0.value: Value is invalid JSON."] };
    expect((await syncDiscountsAfterChange(shopId)).errors).toEqual(["Storefront offer index: metafields.0.value: Value is invalid JSON."]);
    indexControl.failure = new Error("database is locked");
    expect((await syncDiscountsAfterChange(shopId)).errors).toEqual(["The storefront offer index could not be updated: database is locked"]);
  });
});
