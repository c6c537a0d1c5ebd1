import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { bundleLikeShopifyCli, registeredTargets, tomlString } from "../../../tests/support/shopify-cli-ui-bundle";

/**
 * The thank-you block as the Shopify CLI builds it: a `ui_extension` whose `[[extensions.targeting]]`
 * module must exist, bundled for ES2015 (the CLI's target). The block imports app/core, which once
 * held bigint literals that esbuild refuses there, so `shopify app deploy` built nothing while
 * every test passed.
 */
const extension = join(import.meta.dirname, "..");
const toml = join(extension, "shopify.extension.toml");

describe("the thank-you extension as the Shopify CLI builds it", () => {
  it("targets the thank-you block with a module that exists and declares @shopify/ui-extensions", () => {
    expect(tomlString(toml, "type")).toBe("ui_extension");
    expect(tomlString(toml, "target")).toBe("purchase.thank-you.block.render");
    const module = tomlString(toml, "module") ?? "";
    expect(existsSync(join(extension, module))).toBe(true);
    const packageJson = JSON.parse(readFileSync(join(extension, "package.json"), "utf8")) as { dependencies?: Record<string, string> };
    expect(packageJson.dependencies?.["@shopify/ui-extensions"]).toMatch(/^2025\.7\./);
  });

  it("bundles for the CLI's ES2015 target and registers the thank-you block", () => {
    const bundle = bundleLikeShopifyCli(extension, [tomlString(toml, "module") ?? ""]);
    expect(bundle.errors).toEqual([]);
    expect(registeredTargets(bundle.code)).toEqual(["purchase.thank-you.block.render"]);
  });
});
