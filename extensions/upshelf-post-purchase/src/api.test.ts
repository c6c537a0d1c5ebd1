import { afterEach, describe, expect, it, vi } from "vitest";
import { reportEvent, REPORT_WAIT_MS } from "./api";

describe("reporting an event from the post-purchase page", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.unstubAllEnvs();
    vi.useRealTimers();
  });

  it("GIVEN an app that never answers THEN the page goes on after REPORT_WAIT_MS (decline stays one tap)", async () => {
    vi.stubEnv("UPSHELF_APP_URL", "https://upshelf.example");
    const fetch = vi.fn(() => new Promise<Response>(() => {}));
    vi.stubGlobal("fetch", fetch);
    vi.useFakeTimers();
    let done = false;
    const reported = reportEvent("token", { surface: "post_purchase", kind: "offer_declined", referenceId: "r", productId: "1" }).then(() => {
      done = true;
    });
    await vi.advanceTimersByTimeAsync(REPORT_WAIT_MS - 1);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await reported;
    expect(done).toBe(true);
    expect(fetch).toHaveBeenCalledWith("https://upshelf.example/api/post-purchase/event", expect.objectContaining({ method: "POST" }));
  });

  it("GIVEN an app that fails THEN the page goes on at once", async () => {
    vi.stubEnv("UPSHELF_APP_URL", "https://upshelf.example");
    vi.stubGlobal("fetch", vi.fn(async () => new Response("no", { status: 500 })));
    await expect(reportEvent("token", { surface: "post_purchase", kind: "offer_accepted", referenceId: "r", productId: "1" })).resolves.toBeUndefined();
  });
});
