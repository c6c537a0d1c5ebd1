import { beforeAll, describe, expect, it } from "vitest";
import { groupFor } from "~/core/experiments";
import db from "~/db.server";
import { createTestShop } from "../../tests/factories/shop";
import { adminRequest, useShopifyAdminMode } from "../../tests/support/admin-session";
import { action, loader } from "./app.holdout";

useShopifyAdminMode();

type Outcome = { status: number; body: { ok: boolean; message: string; fields: Record<string, string[]>; errors: string[] } };

function outcome(result: unknown): Outcome {
  if (result && typeof result === "object" && (result as { type?: string }).type === "DataWithResponseInit") {
    const wrapped = result as { data: Outcome["body"]; init: ResponseInit | null };
    return { status: wrapped.init?.status ?? 200, body: wrapped.data };
  }
  return { status: 200, body: result as Outcome["body"] };
}

async function submit(shopId: string, fields: Record<string, string>) {
  const request = await adminRequest(shopId, "/app/holdout", { method: "POST", body: new URLSearchParams(fields) });
  return outcome(await action({ request, params: {}, context: {} }));
}

async function page(shopId: string) {
  return loader({ request: await adminRequest(shopId, "/app/holdout"), params: {}, context: {} });
}

/** A demo-flagged shop: the storefront metafield write is recorded instead of sent. */
async function demoShop() {
  const shop = await createTestShop();
  await db.shop.update({ where: { id: shop.id }, data: { isDemo: true } });
  return shop.id;
}

describe("the holdout test page", () => {
  it("starts one test (a double submit too), tells the storefront, and stops it; another shop sees none of it", async () => {
    const shopId = await demoShop();
    const other = await demoShop();
    expect((await page(shopId)).test).toBeNull();

    const [first, second] = await Promise.all([submit(shopId, { intent: "start", holdoutPercent: "10" }), submit(shopId, { intent: "start", holdoutPercent: "20" })]);
    expect([first.status, second.status]).toEqual([200, 200]);
    const tests = await db.experiment.findMany({ where: { shopId } });
    expect(tests).toHaveLength(1);
    const test = tests[0]!;
    expect([1000, 2000]).toContain(test.holdoutBasisPoints);
    expect(test.endedAt).toBeNull();

    const metafield = async () => {
      const calls = await db.recordedAdminCall.findMany({ where: { shopId, operation: "UpshelfStorefrontIndexSet" }, orderBy: { id: "desc" }, take: 1 });
      const variables = JSON.parse(calls[0]!.variables) as { metafields: { key: string; value: string }[] };
      return JSON.parse(variables.metafields.find((entry) => entry.key === "experiment")!.value) as unknown;
    };
    expect(await metafield()).toEqual({ key: test.key, holdout: test.holdoutBasisPoints });

    const shown = await page(shopId);
    expect(shown.test).toMatchObject({ running: true, holdoutPercent: test.holdoutBasisPoints / 100, verdict: "too_early" });
    expect((await page(other)).test).toBeNull();
    expect(await submit(other, { intent: "stop", key: test.key })).toMatchObject({ status: 200, body: { message: "No holdout test is running." } });
    expect((await db.experiment.findFirstOrThrow({ where: { id: test.id } })).endedAt).toBeNull();

    expect((await submit(shopId, { intent: "stop", key: test.key })).body.ok).toBe(true);
    expect((await db.experiment.findFirstOrThrow({ where: { id: test.id } })).endedAt).not.toBeNull();
    expect(await metafield()).toEqual({});
    expect((await page(shopId)).test).toMatchObject({ running: false });
  });

  it("sends the storefront its state again when the button is pressed again, so a failed send can be retried", async () => {
    const shopId = await demoShop();
    const sends = () => db.recordedAdminCall.count({ where: { shopId, operation: "UpshelfStorefrontIndexSet" } });
    expect((await submit(shopId, { intent: "start", holdoutPercent: "10" })).body.ok).toBe(true);
    const key = (await db.experiment.findFirstOrThrow({ where: { shopId } })).key;
    expect(await sends()).toBe(1);
    expect((await submit(shopId, { intent: "start", holdoutPercent: "10" })).body.message).toBe("The holdout test is already running.");
    expect(await sends()).toBe(2);
    await submit(shopId, { intent: "stop", key });
    expect((await submit(shopId, { intent: "stop", key })).body.message).toBe("No holdout test is running.");
    expect(await sends()).toBe(4);
  });

  it("GIVEN a test holding out 10% WHEN another tab asks to start one holding out 50% THEN it says the 50% was not applied and how to get it", async () => {
    const shopId = await demoShop();
    await submit(shopId, { intent: "start", holdoutPercent: "10" });
    const second = await submit(shopId, { intent: "start", holdoutPercent: "50" });
    expect(second.body.message).toBe(
      "A holdout test is already running with 10% of visitors held out, so 50% was not applied. To hold out another share, stop this test and start a new one.",
    );
    expect((await db.experiment.findFirstOrThrow({ where: { shopId } })).holdoutBasisPoints).toBe(1000);
  });

  it("ends only the test the page showed: a Stop from a page opened before it ended leaves a newer test running", async () => {
    const shopId = await demoShop();
    await submit(shopId, { intent: "start", holdoutPercent: "10" });
    const old = await db.experiment.findFirstOrThrow({ where: { shopId } });
    await submit(shopId, { intent: "stop", key: old.key });
    await submit(shopId, { intent: "start", holdoutPercent: "20" });
    const stale = await submit(shopId, { intent: "stop", key: old.key });
    expect(stale.body.message).toBe("That test had already ended; the test running now was left as it is.");
    expect(await db.experiment.count({ where: { shopId, endedAt: null } })).toBe(1);
    expect((await submit(shopId, { intent: "stop" })).status).toBe(400);
  });

  it("keeps every earlier test's results: the latest by default, any other by its key; an unknown key is a 404", async () => {
    const shopId = await demoShop();
    const other = await demoShop();
    const at = (shop: string, query: string) => adminRequest(shop, `/app/holdout${query}`).then((request) => loader({ request, params: {}, context: {} }));
    await submit(shopId, { intent: "start", holdoutPercent: "50" });
    const first = (await page(shopId)).test!;
    await submit(shopId, { intent: "stop", key: first.key });
    await submit(shopId, { intent: "start", holdoutPercent: "10" });

    const latest = await page(shopId);
    expect(latest.test).toMatchObject({ running: true, holdoutPercent: 10 });
    expect(latest.running).toMatchObject({ key: latest.test!.key, holdoutPercent: 10 });
    expect(latest.tests.map((choice) => choice.key)).toEqual([latest.test!.key, first.key]);
    expect(latest.tests[0]!.label).toMatch(/^Running: .*, 10% held out$/);

    const earlier = await at(shopId, `?test=${first.key}`);
    expect(earlier.test).toMatchObject({ key: first.key, running: false, holdoutPercent: 50 });
    // The control still stops the test that runs, not the one shown.
    expect(earlier.running?.key).toBe(latest.test!.key);

    for (const [shop, query] of [[shopId, "?test=nosuchkey"], [shopId, "?test=../x"], [other, `?test=${first.key}`]] as const) {
      const response = await at(shop, query).then(
        () => null,
        (thrown: unknown) => thrown as Response,
      );
      expect(response?.status, query).toBe(404);
    }
  });

  it("states the test's dates in the shop's time zone", async () => {
    const shopId = await demoShop();
    await db.shop.update({ where: { id: shopId }, data: { timeZone: "Asia/Tokyo" } });
    await db.experiment.create({ data: { shopId, key: "tz1", holdoutBasisPoints: 1000, startedAt: new Date("2026-03-01T20:30:00Z") } });
    // 20:30 UTC is 05:30 the next morning in Tokyo.
    expect((await page(shopId)).test).toMatchObject({ startedAt: "2 Mar 2026, 05:30", endedAt: null });
  });

  it("answers 400 naming the field for a share it does not offer, and changes nothing", async () => {
    const shopId = await demoShop();
    const attempts: Record<string, string>[] = [{ intent: "start", holdoutPercent: "95" }, { intent: "start" }, { intent: "pause" }];
    for (const fields of attempts) {
      const result = await submit(shopId, fields);
      expect(result.status).toBe(400);
      expect(result.body.ok).toBe(false);
    }
    expect((await submit(shopId, { intent: "start", holdoutPercent: "95" })).body.fields.holdoutPercent).toEqual(["Choose 5, 10, 20 or 50%."]);
    expect(await db.experiment.count({ where: { shopId } })).toBe(0);
  });

  describe("results", () => {
    let shopId: string;
    beforeAll(async () => {
      shopId = await demoShop();
      expect((await submit(shopId, { intent: "start", holdoutPercent: "50" })).body.ok).toBe(true);
      // A fixed key, so every run splits these visitors the same way: with a random one, about 1 run
      // in 1,000 drew a split its own sample-ratio check flags, and the lift test could not pass.
      const test = await db.experiment.update({ where: { id: (await db.experiment.findFirstOrThrow({ where: { shopId } })).id }, data: { key: "fixedkey" } });
      const during = new Date(test.startedAt.getTime() + 60_000);
      const visitors = Array.from({ length: 1200 }, (_, index) => `visitor-${String(index).padStart(5, "0")}`);
      await db.experimentVisitor.createMany({
        data: visitors.map((visitorKey) => ({ shopId, experimentId: test.id, visitorKey, group: groupFor(5000, test.key, visitorKey), firstSeenAt: during })),
      });
      // Every third visitor of each group buys once (counted within the group, so neither group
      // gets more buyers by chance); visitors who saw Upshelf spend $80, held-out ones $50.
      const seen = { shown: 0, holdout: 0 };
      const orders = visitors.flatMap((visitor, index) => {
        const group = groupFor(5000, test.key, visitor);
        if (seen[group]++ % 3 !== 0) return [];
        const shown = group === "shown";
        const subtotal = (shown ? 8000 : 5000) + (index % 7) * 100;
        return [{ shopId, shopifyId: `h-${index}`, name: `#${index}`, currency: "USD", subtotalAmount: subtotal, totalAmount: subtotal, placedAt: during, experimentKey: test.key, experimentVisitor: visitor }];
      });
      // Left out: an order before the test, a cancelled one, one in another currency, one unmarked.
      const before = new Date(test.startedAt.getTime() - 60_000);
      orders.push(
        { shopId, shopifyId: "h-before", name: "#b", currency: "USD", subtotalAmount: 999_999, totalAmount: 999_999, placedAt: before, experimentKey: test.key, experimentVisitor: visitors[1]! },
        { shopId, shopifyId: "h-eur", name: "#e", currency: "EUR", subtotalAmount: 999_999, totalAmount: 999_999, placedAt: during, experimentKey: test.key, experimentVisitor: visitors[1]! },
      );
      await db.order.createMany({ data: orders });
      await db.order.create({
        data: { shopId, shopifyId: "h-cancelled", name: "#c", currency: "USD", subtotalAmount: 999_999, totalAmount: 999_999, placedAt: during, cancelledAt: during, experimentKey: test.key, experimentVisitor: visitors[2]! },
      });
    });

    it("puts each order in its visitor's group and states the lift with its interval", async () => {
      const { test } = await page(shopId);
      const total = test!.groups.shown.visitors + test!.groups.holdout.visitors;
      expect(total).toBe(1200);
      expect(test!.groups.shown.orders + test!.groups.holdout.orders).toBe(400);
      expect(test!.groups.shown.averageOrderValue).toBeGreaterThan(8000);
      expect(test!.groups.holdout.averageOrderValue).toBeLessThan(5700);
      expect(test!.ordersInOtherCurrencies).toBe(1);
      expect(test!.verdict).toBe("lift");
      const text = test!.sentences.join(" ");
      expect(text).toMatch(/Visitors who saw Upshelf spent \$\d+\.\d\d per visitor; held-out visitors \$\d+\.\d\d: \+\$\d+\.\d\d \(\+\d+\.\d%\)\./);
      expect(text).toContain("95% interval for the difference");
      expect(text).toContain("raised what visitors spend");
    });
  });
});
