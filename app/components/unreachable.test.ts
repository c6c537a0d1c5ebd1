import { redirect, UNSAFE_ErrorResponseImpl as ErrorResponseImpl } from "@remix-run/router";
import type { ClientActionFunctionArgs, ClientLoaderFunctionArgs } from "@remix-run/react";
import { describe, expect, it } from "vitest";
import {
  answerWhenUnreachable,
  isKeptWhenUnreachable,
  isUnreachableAnswer,
  keepDataWhenUnreachable,
  keepPageWhenUnreachable,
  unreachableCause,
  unreachableMessage,
  unsavedMessage,
  UNREACHABLE,
} from "./unreachable";

/** A page's submission as Remix hands it to a clientAction, with what its server action does. */
function submission(serverAction: () => Promise<unknown>, fields: Record<string, string> = { intent: "save", title: "Typed" }, signal?: AbortSignal) {
  const request = new Request("http://localhost/app/tiers/7", { method: "POST", body: new URLSearchParams(fields), signal });
  return { request, params: {}, serverAction } as unknown as ClientActionFunctionArgs;
}

const clientAction = keepPageWhenUnreachable(({ intent, form }) => ({ ok: false, error: UNREACHABLE, message: unsavedMessage(intent), title: form.get("title") }));

describe("which failed submissions the page keeps and says so", () => {
  it("GIVEN no answer at all (dropped connection, server down) THEN it is unreachable, whatever the browser's words", () => {
    for (const message of ["Failed to fetch", "NetworkError when attempting to fetch resource.", "Load failed"]) {
      expect(unreachableCause(new TypeError(message))).toBe("no_answer");
    }
  });

  it("GIVEN an answer that is not Upshelf's (a proxy's 502 page, an empty or foreign body) THEN it is unreachable", () => {
    expect(unreachableCause(new Error("Unable to decode turbo-stream response from URL: http://localhost/app/tiers/7.data"))).toBe("not_upshelf");
    expect(unreachableCause(new Error("No response body to decode"))).toBe("not_upshelf");
    expect(unreachableCause(new Error('No response found for routeId "routes/app.tiers.$id"'))).toBe("not_upshelf");
  });

  it("GIVEN one of Upshelf's own answers THEN it is passed on: redirects, Shopify's re-auth, the app's errors, a crash", () => {
    expect(unreachableCause(redirect("/app/bundles?deleted=x"))).toBeNull();
    // Shopify's embedded auth: a 401 carrying the re-auth header, and the App Bridge page its boundary renders.
    expect(unreachableCause(new Response(null, { status: 401, headers: { "X-Shopify-API-Request-Failure-Reauthorize-Url": "https://x" } }))).toBeNull();
    expect(unreachableCause(new ErrorResponseImpl(200, "", "<script>open(...)</script>"))).toBeNull();
    expect(unreachableCause(new ErrorResponseImpl(500, "", { error: "internal", message: "Something failed." }))).toBeNull();
    // What a server crash becomes in the browser in production.
    expect(unreachableCause(new Error("Unexpected Server Error"))).toBeNull();
    expect(unreachableCause("thrown text")).toBeNull();
  });

  it("GIVEN a request the router gave up on (the merchant moved on) THEN it is passed on, not reported", () => {
    const controller = new AbortController();
    controller.abort();
    expect(unreachableCause(new TypeError("Failed to fetch"), controller.signal)).toBeNull();
    expect(unreachableCause(new DOMException("The operation was aborted.", "AbortError"))).toBeNull();
  });
});

describe("the clientAction that keeps the page", () => {
  it("WHEN the server answers THEN its answer is the page's, unchanged", async () => {
    await expect(clientAction(submission(async () => ({ ok: true, offerId: "7" })))).resolves.toEqual({ ok: true, offerId: "7" });
  });

  it("WHEN the save gets no answer THEN the page gets its refusal shape, with what was sent, as a failed (503) action", async () => {
    const answer = await clientAction(submission(async () => Promise.reject(new TypeError("Failed to fetch"))));
    expect(answer).toBeInstanceOf(Response);
    const response = answer as Response;
    // 4xx/5xx: Remix does not reload the page's data, which would fail too and replace the page.
    expect(response.status).toBe(503);
    const body: unknown = await response.json();
    expect(body).toEqual({ ok: false, error: "unreachable", message: unsavedMessage("save"), title: "Typed" });
    expect(isUnreachableAnswer(body)).toBe(true);
  });

  it("WHEN a proxy answers with its own page THEN the same", async () => {
    const answer = await clientAction(submission(async () => Promise.reject(new Error("Unable to decode turbo-stream response from URL: x"))));
    expect((answer as Response).status).toBe(503);
  });

  it("WHEN the server action throws its own answer THEN it is thrown on as before", async () => {
    const reauth = new ErrorResponseImpl(401, "Unauthorized", "");
    await expect(clientAction(submission(async () => Promise.reject(reauth)))).rejects.toBe(reauth);
    const moved = redirect("/app/import/3");
    await expect(clientAction(submission(async () => Promise.reject(moved)))).rejects.toBe(moved);
    const crash = new Error("Unexpected Server Error");
    await expect(clientAction(submission(async () => Promise.reject(crash)))).rejects.toBe(crash);
  });

  it("says what may or may not have happened, never that it failed: only the answer may have been lost", () => {
    expect(unsavedMessage("your changes")).toBe(
      "Upshelf could not be reached, so your changes may or may not have been saved. Your changes are still here; check your connection and save again. " +
        "Saving again is safe: a save that did arrive is not made twice.",
    );
    expect(unreachableMessage({ outcome: "“Cups” may or may not have been paused" })).toBe(
      "Upshelf could not be reached, so “Cups” may or may not have been paused. Check your connection and try again.",
    );
    expect(unreachableMessage({ outcome: "“a.csv” may or may not have been uploaded", kept: "It is still chosen" })).toBe(
      "Upshelf could not be reached, so “a.csv” may or may not have been uploaded. It is still chosen; check your connection and try again.",
    );
    expect(isUnreachableAnswer({ ok: false, error: "invalid_offer", message: "x" })).toBe(false);
  });
});

/** A load as Remix hands it to a clientLoader: the address and what the server loader does. */
function load(address: string, serverLoader: () => Promise<unknown>, signal?: AbortSignal) {
  return { request: new Request(`http://localhost${address}`, { signal }), params: {}, serverLoader } as unknown as ClientLoaderFunctionArgs;
}
const noAnswer = async () => Promise.reject(new TypeError("Failed to fetch"));
const proxyPage = async () => Promise.reject(new Error("Unable to decode turbo-stream response from URL: x"));

describe("the clientLoader that keeps a refreshed page's data", () => {
  it("GIVEN the page's data WHEN its refresh gets no answer, or a proxy's page THEN the page gets that data again, marked as kept", async () => {
    const clientLoader = keepDataWhenUnreachable();
    const shown = { imports: [{ id: 3, status: "running" }] };
    await expect(clientLoader(load("/app/import", async () => shown))).resolves.toBe(shown);
    expect(isKeptWhenUnreachable(shown)).toBe(false);

    for (const failure of [noAnswer, proxyPage]) {
      const kept = await clientLoader(load("/app/import", failure));
      // A copy, so the page re-renders; what it holds is the same, so what was built from it stays.
      expect(kept).not.toBe(shown);
      expect(kept).toEqual(shown);
      expect((kept as typeof shown).imports).toBe(shown.imports);
      expect(isKeptWhenUnreachable(kept)).toBe(true);
    }

    // Upshelf answers again: its data, not marked.
    const fresh = { imports: [{ id: 3, status: "done" }] };
    const answered = await clientLoader(load("/app/import", async () => fresh));
    expect(answered).toBe(fresh);
    expect(isKeptWhenUnreachable(answered)).toBe(false);
  });

  it("GIVEN the page's data WHEN another address gets no answer THEN it fails as before: there is nothing of that page to keep", async () => {
    const clientLoader = keepDataWhenUnreachable();
    await clientLoader(load("/app/import/3", async () => ({ id: 3 })));
    const failure = new TypeError("Failed to fetch");
    await expect(clientLoader(load("/app/import/4", async () => Promise.reject(failure)))).rejects.toBe(failure);
    await expect(clientLoader(load("/app/import/3?tab=skipped", async () => Promise.reject(failure)))).rejects.toBe(failure);
    // Nothing loaded yet: nothing to keep.
    await expect(keepDataWhenUnreachable()(load("/app/import/3", async () => Promise.reject(failure)))).rejects.toBe(failure);
  });

  it("WHEN the server loader throws Upshelf's own answer, or the router gave the load up THEN it is thrown on unchanged", async () => {
    const clientLoader = keepDataWhenUnreachable();
    await clientLoader(load("/app/sync", async () => ({ active: true })));
    const reauth = new ErrorResponseImpl(401, "Unauthorized", "");
    await expect(clientLoader(load("/app/sync", async () => Promise.reject(reauth)))).rejects.toBe(reauth);
    const moved = redirect("/auth/login");
    await expect(clientLoader(load("/app/sync", async () => Promise.reject(moved)))).rejects.toBe(moved);
    const crash = new Error("Unexpected Server Error");
    await expect(clientLoader(load("/app/sync", async () => Promise.reject(crash)))).rejects.toBe(crash);
    const controller = new AbortController();
    controller.abort();
    const dropped = new TypeError("Failed to fetch");
    await expect(clientLoader(load("/app/sync", async () => Promise.reject(dropped), controller.signal))).rejects.toBe(dropped);
  });

  it("runs on hydration, so the first refresh after the page loads has the server-rendered data to keep", () => {
    expect(keepDataWhenUnreachable().hydrate).toBe(true);
  });
});

describe("the clientLoader that answers a fetcher's load in its place", () => {
  const clientLoader = answerWhenUnreachable(() => ({ results: [], error: UNREACHABLE, message: "The search could not reach Upshelf." }));

  it("WHEN the search answers THEN its answer; WHEN it gets no answer THEN the made-up one, which the picker shows", async () => {
    await expect(clientLoader(load("/app/api/products?q=tea", async () => ({ results: [1] })))).resolves.toEqual({ results: [1] });
    for (const failure of [noAnswer, proxyPage]) {
      const answer = await clientLoader(load("/app/api/products?q=tea", failure));
      expect(isUnreachableAnswer(answer)).toBe(true);
    }
  });

  it("WHEN the server loader throws Upshelf's own answer THEN it is thrown on unchanged", async () => {
    const reauth = new ErrorResponseImpl(401, "Unauthorized", "");
    await expect(clientLoader(load("/app/api/products?q=tea", async () => Promise.reject(reauth)))).rejects.toBe(reauth);
    const moved = redirect("/auth/login");
    await expect(clientLoader(load("/app/api/products?q=tea", async () => Promise.reject(moved)))).rejects.toBe(moved);
  });
});
