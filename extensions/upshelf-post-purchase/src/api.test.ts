import { afterEach, describe, expect, it, vi } from "vitest";
import { eventReporter, fetchChangesetToken, fetchOffer, OFFER_WAIT_MS, REPORT_WAIT_MS, SIGN_WAIT_MS } from "./api";

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
    const reported = eventReporter("token")({ surface: "post_purchase", kind: "offer_declined", referenceId: "r", productId: "1" }).then(() => {
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
    await expect(eventReporter("token")({ surface: "post_purchase", kind: "offer_accepted", referenceId: "r", productId: "1" })).resolves.toBeUndefined();
  });
});

describe("reporting a failed accept, then the decline", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.unstubAllEnvs();
    vi.useRealTimers();
  });

  it("sends the decline only once the failure's report was answered, as the app counts the decline only after it", async () => {
    vi.stubEnv("UPSHELF_APP_URL", "https://upshelf.example");
    const answers: (() => void)[] = [];
    const sent: string[] = [];
    vi.stubGlobal(
      "fetch",
      vi.fn((_url: string, init: RequestInit) => {
        sent.push((JSON.parse(String(init.body)) as { kind: string }).kind);
        return new Promise<Response>((resolve) => answers.push(() => resolve(Response.json({ recorded: 1 }, { status: 202 }))));
      }),
    );
    vi.useFakeTimers();
    const report = eventReporter("token");
    const body = (kind: "offer_accept_failed" | "offer_declined") => ({ surface: "post_purchase" as const, kind, referenceId: "r", productId: "1" });
    void report(body("offer_accept_failed"));
    let declined = false;
    const decline = report(body("offer_declined")).then(() => {
      declined = true;
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(sent).toEqual(["offer_accept_failed"]);
    // The buyer is not held while the failure's report is slow.
    await vi.advanceTimersByTimeAsync(REPORT_WAIT_MS);
    await decline;
    expect(declined).toBe(true);
    expect(sent).toEqual(["offer_accept_failed"]);
    answers[0]?.();
    await vi.advanceTimersByTimeAsync(0);
    expect(sent).toEqual(["offer_accept_failed", "offer_declined"]);
  });

  it("sends the decline after a failure's report that failed", async () => {
    vi.stubEnv("UPSHELF_APP_URL", "https://upshelf.example");
    const sent: string[] = [];
    vi.stubGlobal(
      "fetch",
      vi.fn(async (_url: string, init: RequestInit) => {
        const { kind } = JSON.parse(String(init.body)) as { kind: string };
        sent.push(kind);
        if (kind === "offer_accept_failed") throw new TypeError("network down");
        return Response.json({ recorded: 1 }, { status: 202 });
      }),
    );
    const report = eventReporter("token");
    await report({ surface: "post_purchase", kind: "offer_accept_failed", referenceId: "r", productId: "1" });
    await report({ surface: "post_purchase", kind: "offer_declined", referenceId: "r", productId: "1" });
    expect(sent).toEqual(["offer_accept_failed", "offer_declined"]);
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
