import { describe, expect, it } from "vitest";
import db from "~/db.server";
import { createTestShop } from "../../tests/factories/shop";
import { purgeExpiredWidgetEvents, recordWidgetEvents, WIDGET_EVENT_RETENTION_DAYS } from "./widget-event.server";

const DAY = 86_400_000;

describe("widget event retention", () => {
  it("deletes every shop's events older than the retention, in batches, and keeps the rest", async () => {
    const now = new Date("2031-01-01T00:00:00Z");
    const [a, b] = [(await createTestShop()).id, (await createTestShop()).id];
    const event = { kind: "impression" as const, placement: "pdp" as const, anchorProductId: null, productId: "1", offerId: null, propensity: null, modelVersion: null };
    const expired = new Date(now.getTime() - (WIDGET_EVENT_RETENTION_DAYS + 1) * DAY);
    const kept = new Date(now.getTime() - (WIDGET_EVENT_RETENTION_DAYS - 1) * DAY);
    await recordWidgetEvents(a, [event, event, event], expired);
    await recordWidgetEvents(b, [event], expired);
    await recordWidgetEvents(a, [event], kept);
    // Scoped to this test's shops: other tests share the database. Batches of two: three rounds.
    expect(await purgeExpiredWidgetEvents({ now, batchSize: 2, shopIds: [a, b] })).toBe(4);
    expect(await db.widgetEvent.count({ where: { shopId: { in: [a, b] } } })).toBe(1);
    expect(await db.widgetEvent.count({ where: { shopId: { in: [a, b] }, occurredAt: kept } })).toBe(1);
  });

  it("purges a backlog bigger than one statement may bind (999 values on SQLite), with its own batch size", async () => {
    const now = new Date("2031-01-01T00:00:00Z");
    const shopId = (await createTestShop()).id;
    const event = { kind: "impression" as const, placement: "pdp" as const, anchorProductId: null, productId: "1", offerId: null, propensity: null, modelVersion: null };
    const expired = new Date(now.getTime() - (WIDGET_EVENT_RETENTION_DAYS + 1) * DAY);
    for (let written = 0; written < 1_500; written += 50) await recordWidgetEvents(shopId, Array(50).fill(event), expired);
    expect(await purgeExpiredWidgetEvents({ now, shopIds: [shopId] })).toBe(1_500);
    expect(await db.widgetEvent.count({ where: { shopId } })).toBe(0);
  });
});
