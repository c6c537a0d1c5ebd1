import { redirect, UNSAFE_ErrorResponseImpl as ErrorResponseImpl } from "@remix-run/router";
import type { ClientActionFunctionArgs } from "@remix-run/react";
import { describe, expect, it } from "vitest";
import { isUnreachableAnswer, keepPageWhenUnreachable, unreachableCause, unreachableMessage, UNREACHABLE } from "./unreachable";

/** A page's submission as Remix hands it to a clientAction, with what its server action does. */
function submission(serverAction: () => Promise<unknown>, fields: Record<string, string> = { intent: "save", title: "Typed" }, signal?: AbortSignal) {
  const request = new Request("http://localhost/app/tiers/7", { method: "POST", body: new URLSearchParams(fields), signal });
  return { request, params: {}, serverAction } as unknown as ClientActionFunctionArgs;
}

const clientAction = keepPageWhenUnreachable(({ intent, form }) => ({ ok: false, error: UNREACHABLE, message: unreachableMessage(intent), title: form.get("title") }));

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
    expect(body).toEqual({ ok: false, error: "unreachable", message: unreachableMessage("save"), title: "Typed" });
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

  it("says what failed and that nothing typed is lost", () => {
    expect(unreachableMessage("save", "Your changes are still here")).toBe(
      "Couldn't save: Upshelf could not be reached. Your changes are still here; check your connection and try again.",
    );
    expect(unreachableMessage("pause “Cups”")).toBe("Couldn't pause “Cups”: Upshelf could not be reached. Check your connection and try again.");
    expect(isUnreachableAnswer({ ok: false, error: "invalid_offer", message: "x" })).toBe(false);
  });
});
