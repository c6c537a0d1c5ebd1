import { describe, expect, it } from "vitest";
import { MAX_CONCURRENT_REBUILDS, withRebuildSlot } from "./recommendations-rebuild-job.server";

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
