/**
 * Every admin action reads its form through readAdminForm, bounded at MAX_ADMIN_FORM_BYTES: a
 * streamed body past it is refused (413) after at most a chunk or two more, never buffered whole.
 * The actions are found by listing the app.* route modules, so a page added later is covered too
 * (the CSV upload has its own, larger limit: app.import.test.ts).
 */
import { readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { MAX_OFFER_DRAFT_CHARS } from "~/components/offers/offer-draft";
import { MAX_ADMIN_FORM_BYTES } from "~/services/admin-form.server";
import { createTestShop } from "./factories/shop";
import { adminRequest, useShopifyAdminMode } from "./support/admin-session";
import { responseOf } from "./support/app-proxy";

useShopifyAdminMode();

type Action = (args: { request: Request; params: Record<string, string>; context: Record<string, unknown> }) => Promise<unknown>;

const ROUTES = path.resolve(import.meta.dirname, "../app/routes");

/** Every app.* route module that has an action, but the CSV upload's. */
async function adminActions(): Promise<{ file: string; action: Action }[]> {
  const files = readdirSync(ROUTES).filter((name) => /^app\..+\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) && name !== "app.import.tsx");
  const found: { file: string; action: Action }[] = [];
  for (const file of files) {
    const module = (await import(path.join(ROUTES, file))) as { action?: Action };
    if (module.action) found.push({ file, action: module.action });
  }
  return found;
}

/** A URL-encoded form of `chunks` × 64 KB, made as it is read; `pulled()` says how much was. */
function streamedForm(chunks: number): { body: ReadableStream<Uint8Array>; pulled: () => number } {
  const chunk = new TextEncoder().encode(`intent=save&x=${"a".repeat(64 * 1024 - 14)}`);
  let pulled = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled >= chunks * chunk.byteLength) return controller.close();
      pulled += chunk.byteLength;
      controller.enqueue(chunk);
    },
  });
  return { body, pulled: () => pulled };
}

async function post(action: Action, request: Request, params: Record<string, string> = {}): Promise<Response> {
  return responseOf(async () => {
    const outcome = await action({ request, params, context: {} });
    return outcome instanceof Response ? outcome : Response.json(outcome);
  });
}

describe("admin actions' form bodies", () => {
  it("refuses a streamed body past MAX_ADMIN_FORM_BYTES on every admin page with an action, reading no more than a chunk past it", async () => {
    const shop = await createTestShop();
    const actions = await adminActions();
    // The offer pages (index, new, edit for each of three families), settings, recommendations, holdout, sync, an import's report.
    expect(actions.length).toBeGreaterThanOrEqual(14);
    for (const { file, action } of actions) {
      const form = streamedForm(200);
      const request = await adminRequest(shop.id, "/app/any", {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: form.body,
        duplex: "half",
      } as RequestInit);
      const response = await post(action, request, { id: "1", jobId: "1" });
      expect({ file, status: response.status }).toEqual({ file, status: 413 });
      expect(await response.json()).toMatchObject({ error: "payload_too_large", message: expect.stringContaining("larger than 5 MB") });
      expect(form.pulled()).toBeLessThanOrEqual(MAX_ADMIN_FORM_BYTES + 2 * 64 * 1024);
    }
  });

  it("reads the largest draft the offer editor may send: the limit refuses nothing a page sends", async () => {
    const shop = await createTestShop();
    const { action } = (await import("~/routes/app.bundles.new")) as unknown as { action: Action };
    // Each "€" is 3 bytes of UTF-8, 9 once URL-encoded: the most a draft's characters can take.
    const body = new URLSearchParams({ intent: "save", draft: "€".repeat(MAX_OFFER_DRAFT_CHARS), clientToken: "token-0123456789" });
    expect(new TextEncoder().encode(body.toString()).byteLength).toBeGreaterThan(9 * MAX_OFFER_DRAFT_CHARS);
    const request = await adminRequest(shop.id, "/app/bundles/new", { method: "POST", body });
    const response = await post(action, request);
    // Read and judged by saving's own checks (not JSON), not refused for its size.
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: "invalid_offer", message: "The form could not be read; reload the page and try again." });
  });
});
