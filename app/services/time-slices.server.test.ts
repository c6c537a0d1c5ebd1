import { describe, expect, it } from "vitest";
import { timeSlicer } from "./time-slices.server";

function* countTo(steps: number, log: string[]) {
  for (let step = 1; step <= steps; step++) {
    log.push(`step ${step}`);
    yield;
  }
  return steps;
}

async function* pagesOf(pages: number[][], log: string[]) {
  for (const page of pages) {
    log.push(`page ${page.join(",")}`);
    yield page;
  }
}

describe("timeSlicer", () => {
  it("lets work queued meanwhile run once a slice is used up, and returns what the steps return", async () => {
    const log: string[] = [];
    setImmediate(() => log.push("queued request"));
    expect(await timeSlicer(0).run(countTo(3, log))).toBe(3);
    expect(log.indexOf("queued request")).toBeGreaterThan(log.indexOf("step 1"));
    expect(log.indexOf("queued request")).toBeLessThan(log.indexOf("step 3"));
  });

  it("keeps working while the slice lasts", async () => {
    const log: string[] = [];
    setImmediate(() => log.push("queued request"));
    await timeSlicer(60_000).run(countTo(3, log));
    expect(log).toEqual(["step 1", "step 2", "step 3"]);
  });

  it("collects every page in order, letting queued work run between pages", async () => {
    const log: string[] = [];
    setImmediate(() => log.push("queued request"));
    expect(await timeSlicer(0).collect(pagesOf([[1, 2], [3], [4, 5]], log))).toEqual([1, 2, 3, 4, 5]);
    expect(log.indexOf("queued request")).toBeLessThan(log.indexOf("page 4,5"));
  });
});
