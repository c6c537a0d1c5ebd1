import { describe, expect, it } from "vitest";
import { createTestOrder, createTestProduct } from "../../tests/factories/catalog";
import { createTestShop } from "../../tests/factories/shop";
import type { RunningJob } from "./jobs.server";
import { MAX_CONCURRENT_REBUILDS, rebuildRecommendationsJob, withRebuildSlot } from "./recommendations-rebuild-job.server";

describe("rebuildRecommendationsJob", () => {
  it("says what the model learned from, for the job list on the Shopify data page", async () => {
    const shopId = (await createTestShop()).id;
    const mug = await createTestProduct(shopId, { title: "Mug", price: 1200 });
    const saucer = await createTestProduct(shopId, { title: "Saucer", price: 400 });
    for (let n = 1; n <= 3; n++) await createTestOrder(shopId, [mug, saucer], new Date(Date.UTC(2026, 9, n)));
    const job = { id: 1, shopId, kind: "rebuild_recommendations", input: {}, checkpoint: null, attempt: 1, progress: async () => {} } as unknown as RunningJob;
    expect(await rebuildRecommendationsJob(job)).toMatchObject({ orders: 3, products: 2, message: "Learned from 3 orders, for 2 products." });
  });
});

describe("rebuild slots", () => {
  it("runs at most MAX_CONCURRENT_REBUILDS rebuilds at once, in arrival order, and every one to the end", async () => {
    let active = 0;
    let peak = 0;
    const started: number[] = [];
    const gates: (() => void)[] = [];
    const works = Array.from({ length: 5 }, (_, index) =>
      withRebuildSlot(async () => {
        active += 1;
        peak = Math.max(peak, active);
        started.push(index);
        await new Promise<void>((release) => gates.push(release));
        active -= 1;
        return index;
      }),
    );
    const settle = () => new Promise((resolve) => setTimeout(resolve, 5));
    await settle();
    expect(started).toEqual([0, 1]);
    while (started.length < 5 || gates.length > 0) {
      gates.shift()?.();
      await settle();
    }
    expect(await Promise.all(works)).toEqual([0, 1, 2, 3, 4]);
    expect(started).toEqual([0, 1, 2, 3, 4]);
    expect(peak).toBe(MAX_CONCURRENT_REBUILDS);
    // Failures give their slots back too: were they kept, the work after them would wait for ever.
    for (let i = 0; i <= MAX_CONCURRENT_REBUILDS; i++) {
      await expect(withRebuildSlot(() => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    }
    expect(await withRebuildSlot(async () => "after")).toBe("after");
  });
});
