import { describe, expect, it } from "vitest";
import { createTestOrder, createTestProduct } from "../../tests/factories/catalog";
import { createTestShop } from "../../tests/factories/shop";
import type { RunningJob } from "./jobs.server";
import { rebuildRecommendationsJob } from "./recommendations-rebuild-job.server";

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
