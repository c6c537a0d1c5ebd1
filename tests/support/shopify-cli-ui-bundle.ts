/**
 * A checkout extension bundled as the Shopify CLI bundles UI extensions (`shopify app build`,
 * `dev`, `deploy`): esbuild over a stdin that imports the extension's entry modules from its
 * folder, every dependency bundled, `process.env.NODE_ENV` defined, and target ES2015, the CLI's
 * fixed `target: 'es6'` (Shopify/cli packages/app/src/cli/services/extensions/bundle.ts). esbuild
 * refuses there what it cannot lower (bigint literals, for one), and the CLI then builds nothing,
 * so an extension whose tests import its TypeScript directly can pass them all and still not be
 * deployable. The bundle is then run in a fresh context whose `shopify.extend` records which
 * targets it registers, as Shopify's runtime calls it, and a test may call them as Shopify would.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { runInNewContext } from "node:vm";
import { buildSync } from "esbuild";

export interface CliBundle {
  readonly errors: readonly string[];
  readonly code: string;
}

export function bundleLikeShopifyCli(extensionDirectory: string, modules: readonly string[]): CliBundle {
  try {
    const result = buildSync({
      stdin: { contents: modules.map((module) => `import '${module}';`).join("\n"), resolveDir: extensionDirectory, loader: "tsx" },
      outfile: join(extensionDirectory, "dist", "cli-bundle-test.js"),
      write: false,
      bundle: true,
      define: { "process.env.NODE_ENV": JSON.stringify("production") },
      jsx: "automatic",
      loader: { ".esnext": "ts", ".js": "jsx" },
      legalComments: "none",
      target: "es6",
      resolveExtensions: [".tsx", ".ts", ".js", ".json", ".esnext", ".mjs", ".ejs"],
      logLevel: "silent",
    });
    return { errors: [], code: result.outputFiles[0]?.text ?? "" };
  } catch (error) {
    const messages = (error as { errors?: { text: string; location?: { file: string; line: number } | null }[] }).errors;
    if (!messages) throw error;
    return { errors: messages.map((message) => `${message.location?.file ?? "?"}:${message.location?.line ?? 0}: ${message.text}`), code: "" };
  }
}

/** The targets a bundle registers with `shopify.extend` when Shopify's worker loads it. */
export function registeredTargets(code: string): string[] {
  return loadExtension(code).map((registered) => registered.target);
}

export interface RegisteredTarget {
  readonly target: string;
  /** The extension's function for the target, to call with the arguments Shopify passes it. */
  readonly run: (...args: unknown[]) => unknown;
}

/**
 * Runs a bundle as Shopify's worker loads it and returns what it registers, in order. `globals`
 * are the worker's (fetch, timers, ...): the bundle sees nothing of the test's own.
 */
export function loadExtension(code: string, globals: Record<string, unknown> = {}): RegisteredTarget[] {
  const registered: RegisteredTarget[] = [];
  const shopify = { extend: (target: string, run: (...args: unknown[]) => unknown) => void registered.push({ target, run }) };
  const context: Record<string, unknown> = { ...globals, shopify, console };
  context.self = context;
  context.globalThis = context;
  runInNewContext(code, context);
  return registered;
}

/** A top-level string value of a TOML file (`type = "..."`), or of the first table holding it. */
export function tomlString(path: string, key: string): string | undefined {
  return readFileSync(path, "utf8").match(new RegExp(`^\\s*${key}\\s*=\\s*"([^"]*)"`, "m"))?.[1];
}
