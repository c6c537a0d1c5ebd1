import { afterEach, describe, expect, it, vi } from "vitest";
import { fetchChangesetToken, fetchOffer, OFFER_WAIT_MS, reportEvent, REPORT_WAIT_MS, SIGN_WAIT_MS } from "./api";

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

describe("asking the app for the offer and the changeset", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.unstubAllEnvs();
    vi.useRealTimers();
  });

  const purchase = { referenceId: "r", lineItems: [] };

  /** Whether the promise settled, and how, after `ms` of an app that never answers. */
  async function afterSilence<T>(start: () => Promise<T>, ms: number) {
    vi.stubEnv("UPSHELF_APP_URL", "https://upshelf.example");
    let aborted = false;
    vi.stubGlobal(
      "fetch",
      vi.fn(
        (_url: string, init: RequestInit) =>
          new Promise<Response>((_resolve, reject) => {
            init.signal?.addEventListener("abort", () => {
              aborted = true;
              reject(new Error("aborted"));
            });
          }),
      ),
    );
    vi.useFakeTimers();
    let outcome: "pending" | "resolved" | "rejected" = "pending";
    const settled = start().then(
      () => (outcome = "resolved"),
      () => (outcome = "rejected"),
    );
    await vi.advanceTimersByTimeAsync(ms - 1);
    const before = outcome;
    await vi.advanceTimersByTimeAsync(1);
    await Promise.race([settled, Promise.resolve()]);
    return { before, after: outcome, aborted };
  }

  it("GIVEN an app that never answers the signing THEN the accept gives up after SIGN_WAIT_MS, so 'No thanks' is usable again", async () => {
    const result = await afterSilence(() => fetchChangesetToken("token", { referenceId: "r", variantId: "1", price: 100, initialPurchase: purchase }), SIGN_WAIT_MS);
    expect(result).toEqual({ before: "pending", after: "rejected", aborted: true });
  });

  it("GIVEN an app that never answers ShouldRender's request THEN it gives up after OFFER_WAIT_MS (render: false)", async () => {
    const result = await afterSilence(() => fetchOffer("token", { surface: "post_purchase", referenceId: "r", initialPurchase: purchase }), OFFER_WAIT_MS);
    expect(result).toEqual({ before: "pending", after: "rejected", aborted: true });
  });
});
