import { describe, expect, it } from "vitest";
import { runServerExpectingExit } from "./support/app-server";

describe("npm start refuses unsafe configurations", () => {
  it("exits non-zero in production without credentials, naming the required variables", async () => {
    const { code, output } = await runServerExpectingExit({ NODE_ENV: "production" });
    expect(code).not.toBe(0);
    expect(output).toMatch(/SHOPIFY_API_KEY, SHOPIFY_API_SECRET, SHOPIFY_APP_URL/);
  });

  it("exits non-zero with half-configured credentials, naming what is missing", async () => {
    const { code, output } = await runServerExpectingExit({ SHOPIFY_API_KEY: "key" });
    expect(code).not.toBe(0);
    expect(output).toMatch(/SHOPIFY_API_SECRET, SHOPIFY_APP_URL missing/);
  });
});
