import { describe, expect, it } from "vitest";
import { action, MAX_LOGIN_BODY_BYTES } from "~/routes/auth.login/route";
import { useShopifyAdminMode } from "./support/admin-session";

useShopifyAdminMode();

type Action = (args: { request: Request; params: Record<string, string>; context: Record<string, unknown> }) => Promise<unknown>;

async function answer(request: Request): Promise<unknown> {
  try {
    return await (action as Action)({ request, params: {}, context: {} });
  } catch (thrown) {
    return thrown;
  }
}

describe("POST /auth/login (Shopify mode)", () => {
  it("still sends a shop's merchant on to install or log in", async () => {
    const request = new Request("https://upshelf.test/auth/login", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: "shop=login-test.myshopify.com",
    });
    const outcome = await answer(request);
    expect(outcome).toBeInstanceOf(Response);
    expect((outcome as Response).headers.get("location")).toMatch(/^https:\/\/admin\.shopify\.com\/store\/login-test\/oauth\/install\?client_id=/);
  });

  it("refuses a body past MAX_LOGIN_BODY_BYTES without reading it whole: anyone can post to this page", async () => {
    const chunk = new TextEncoder().encode(`shop=${"a".repeat(64 * 1024 - 5)}`);
    let pulled = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (pulled >= 100 * chunk.byteLength) return controller.close();
        pulled += chunk.byteLength;
        controller.enqueue(chunk);
      },
    });
    const request = new Request("https://upshelf.test/auth/login", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: stream,
      duplex: "half",
    } as RequestInit);
    const outcome = await answer(request);
    expect(outcome).toBeInstanceOf(Response);
    expect((outcome as Response).status).toBe(413);
    expect(pulled).toBeLessThanOrEqual(MAX_LOGIN_BODY_BYTES + 2 * chunk.byteLength);
  });
});
