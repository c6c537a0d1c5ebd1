import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { bundleLikeShopifyCli, registeredTargets, tomlString } from "../../../tests/support/shopify-cli-ui-bundle";

/**
 * The post-purchase extension as the Shopify CLI builds it: a `checkout_post_purchase` module
 * (single entry `src/index.{js,jsx,ts,tsx}`, dependency `@shopify/post-purchase-ui-extensions`),
 * bundled for ES2015. The other tests import the TypeScript directly and would pass for a package
 * the CLI cannot build, as this one once was (app/core/money.ts had bigint literals).
 */
const extension = join(import.meta.dirname, "..");

describe("the post-purchase extension as the Shopify CLI builds it", () => {
  it("is the module type the CLI knows, with the entry file and the dependency its specification names", () => {
    expect(tomlString(join(extension, "shopify.extension.toml"), "type")).toBe("checkout_post_purchase");
    expect(existsSync(join(extension, "src", "index.ts"))).toBe(true);
    const packageJson = JSON.parse(readFileSync(join(extension, "package.json"), "utf8")) as { dependencies?: Record<string, string> };
    expect(Object.keys(packageJson.dependencies ?? {})).toContain("@shopify/post-purchase-ui-extensions");
  });

  it("bundles for the CLI's ES2015 target and registers ShouldRender and Render", () => {
    const bundle = bundleLikeShopifyCli(extension, ["./src/index.ts"]);
    expect(bundle.errors).toEqual([]);
    expect(registeredTargets(bundle.code).sort()).toEqual(["Checkout::PostPurchase::Render", "Checkout::PostPurchase::ShouldRender"]);
  });
});
