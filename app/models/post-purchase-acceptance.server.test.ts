import { describe, expect, it } from "vitest";
import db from "~/db.server";
import { createTestShop } from "../../tests/factories/shop";
import { AcceptanceTakenError, markAcceptancesCredited, recordPostPurchaseAcceptance } from "./post-purchase-acceptance.server";

describe("crediting post-purchase acceptances", () => {
  it("credits an acceptance to one order only: a second order's ingest that read it uncredited fails, and its transaction writes nothing", async () => {
    const shopId = (await createTestShop()).id;
    const signedAt = new Date("2026-03-01T12:00:00Z");
    await recordPostPurchaseAcceptance(shopId, { referenceId: "r-1", variantId: "30", purchaseLines: [{ variantId: "10", quantity: 1 }], signedAt, signedToken: "t" });
    await recordPostPurchaseAcceptance(shopId, { referenceId: "r-2", variantId: "30", purchaseLines: [{ variantId: "10", quantity: 1 }], signedAt, signedToken: "t" });
    const [first, second] = await db.postPurchaseAcceptance.findMany({ where: { shopId }, orderBy: { id: "asc" } });

    await markAcceptancesCredited(shopId, [first!.id], "o-1");
    // The same order again (a re-sent webhook) is fine.
    await markAcceptancesCredited(shopId, [first!.id], "o-1");
    // Another order matched both while they looked free: refused whole, so it can read again.
    await expect(db.$transaction((tx) => markAcceptancesCredited(shopId, [first!.id, second!.id], "o-2", tx))).rejects.toBeInstanceOf(AcceptanceTakenError);
    const rows = await db.postPurchaseAcceptance.findMany({ where: { shopId }, orderBy: { id: "asc" } });
    expect(rows.map((row) => row.orderShopifyId)).toEqual(["o-1", null]);
  });
});
