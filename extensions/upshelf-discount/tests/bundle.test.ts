import type * as Esbuild from "esbuild";
import { describe, expect, it } from "vitest";

/**
 * The function is compiled to WebAssembly and runs under an instruction budget, so what it
 * pulls in matters. This bundles the entry point the way the Shopify CLI does (esbuild) and
 * checks that the validation library and Intl stay out. Skipped where esbuild is not installed.
 */
describe("function bundle", () => {
  it("stays small and free of zod and Intl", async () => {
    let esbuild: typeof Esbuild;
    try {
      esbuild = await import("esbuild");
    } catch {
      return;
    }
    const result = await esbuild.build({
      entryPoints: [new URL("../src/index.ts", import.meta.url).pathname],
      bundle: true,
      format: "esm",
      minify: true,
      write: false,
      target: "es2022",
    });
    const code = result.outputFiles[0]?.text ?? "";
    expect(code).toContain("cartLinesDiscountsGenerateRun");
    expect(code).not.toMatch(/ZodError|zod/);
    expect(code).not.toContain("Intl.");
    expect(code.length).toBeLessThan(40_000);
  });
});
