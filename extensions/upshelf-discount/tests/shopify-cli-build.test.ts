/**
 * The function as the Shopify CLI builds it, short of the last step. `shopify app function build`
 * (and `shopify app deploy`) runs GraphQL Code Generator over package.json's `codegen` block, then
 * bundles `@shopify/shopify_function/run` with src/index.ts under the TOML's export, then compiles
 * the bundle to WebAssembly with Javy (a download of the CLI's, not reproduced here). The other
 * tests import the TypeScript directly, so without these a package the CLI cannot build would pass
 * them all, as it once did: it had no codegen block, no schema and no runtime dependency.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { buildSync } from "esbuild";
import fc from "fast-check";
import { buildSchema, coerceInputValue, parse, validate, type GraphQLInputType, type OperationDefinitionNode } from "graphql";
import { afterAll, describe, expect, it } from "vitest";
import { nowArbitrary, offersArbitrary } from "../../../app/core/offers/arbitraries";
import { encodeFunctionConfiguration } from "../../../app/core/offers/index";

const extension = join(import.meta.dirname, "..");
const fixtures = join(extension, "tests", "fixtures");
const packageJson = JSON.parse(readFileSync(join(extension, "package.json"), "utf8")) as {
  dependencies?: Record<string, string>;
  codegen?: { schema: string; documents: string; generates: Record<string, unknown> };
};
const toml = readFileSync(join(extension, "shopify.extension.toml"), "utf8");
const tomlValue = (key: string): string => toml.match(new RegExp(`^\\s*${key}\\s*=\\s*"([^"]*)"`, "m"))?.[1] ?? "";
const inputQueryPath = join(extension, tomlValue("input_query"));
const schema = buildSchema(readFileSync(join(extension, packageJson.codegen?.schema ?? "schema.graphql"), "utf8"));
const inputQuery = parse(readFileSync(inputQueryPath, "utf8"));
const fixtureNames = readdirSync(fixtures).filter((name) => name.endsWith(".input.json"));
const readFixture = (name: string): unknown => JSON.parse(readFileSync(join(fixtures, name), "utf8"));

/** "cart-lines-discounts-generate-run" → "cartLinesDiscountsGenerateRun", as the CLI maps a TOML export to a JavaScript one. */
const camelCase = (kebab: string) => kebab.replace(/-([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());

describe("the discount function as the Shopify CLI builds it", () => {
  // Beside the CLI's own output (dist/function.js), inside the project so the test runner loads it.
  const scratch = join(extension, "dist", "cli-build-test");
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it("declares the runtime the CLI bundles, at the major version the CLI accepts, and no build command of its own", () => {
    expect(packageJson.dependencies?.["@shopify/shopify_function"]).toMatch(/^\^?2\./);
    expect(existsSync(join(extension, "node_modules", "@shopify", "shopify_function", "run.ts")) || existsSync(join(extension, "..", "..", "node_modules", "@shopify", "shopify_function", "run.ts"))).toBe(true);
    // An empty command is what sends the CLI down its own JavaScript build.
    expect(tomlValue("command")).toBe("");
    expect(packageJson.codegen?.documents).toBe("src/*.graphql");
    expect(inputQueryPath.startsWith(join(extension, "src"))).toBe(true);
  });

  it("has an input query that is valid against the schema, as the typegen step and Shopify's deploy check", () => {
    expect(validate(schema, inputQuery).map((error) => error.message)).toEqual([]);
    // And the step itself, as the CLI runs it, in the extension's folder.
    execFileSync("npm", ["exec", "--", "graphql-code-generator", "--config", "package.json"], { cwd: extension, stdio: "pipe" });
    const generated = readFileSync(join(extension, "generated", "api.ts"), "utf8");
    expect(generated).toMatch(/export type CartLinesDiscountsGenerateRunInput = \{/);
  });

  it("states every fixture's operations in the shape the schema's result type takes", () => {
    const result = schema.getType("CartLinesDiscountsGenerateRunResult") as GraphQLInputType;
    for (const name of readdirSync(fixtures).filter((file) => file.endsWith(".output.json"))) {
      const problems: string[] = [];
      coerceInputValue(readFixture(name), result, (path, _value, error) => problems.push(`${path.join(".")}: ${error.message}`));
      expect(problems, name).toEqual([]);
    }
    // The check can fail: a field the schema does not have, and two values where one is allowed.
    const problems: string[] = [];
    coerceInputValue({ operations: [{ productDiscountsAdd: { candidates: [], selectionStrategy: "EVERY" }, orderDiscountsAdd: { candidates: [], selectionStrategy: "FIRST" } }] }, result, (path) =>
      problems.push(path.join(".")),
    );
    expect(problems.length).toBeGreaterThanOrEqual(2);
  });

  it("writes every variable of the input query into every configuration, since Shopify passes null for a missing one and the query takes none", () => {
    const operation = inputQuery.definitions.find((definition): definition is OperationDefinitionNode => definition.kind === "OperationDefinition");
    const variables = (operation?.variableDefinitions ?? []).map((definition) => definition.variable.name.value);
    expect(variables).toContain("collectionIds");
    fc.assert(
      fc.property(offersArbitrary, nowArbitrary, (offers, now) => {
        const document = JSON.parse(encodeFunctionConfiguration(offers, { now, shopCurrency: "USD" }).value) as Record<string, unknown>;
        for (const variable of variables) expect(document[variable] ?? null, variable).not.toBeNull();
      }),
      { numRuns: 200 },
    );
  });

  it("bundles with the Shopify Functions runtime under the TOML's export and, run as Shopify runs it, answers every fixture", async () => {
    const exported = camelCase(tomlValue("export"));
    expect(exported).toBe("cartLinesDiscountsGenerateRun");
    // What the CLI bundles: the runtime's `run` around the function the TOML's export names.
    const entry = [
      `import run from "@shopify/shopify_function/run";`,
      `import { ${exported} as generate } from "user-function";`,
      `export function ${exported}() { return run(generate); }`,
    ].join("\n");
    const [bundle] = buildSync({
      stdin: { contents: entry, loader: "ts", resolveDir: extension },
      alias: { "user-function": join(extension, "src", "index.ts") },
      bundle: true,
      format: "esm",
      target: "es2022",
      legalComments: "none",
      write: false,
    }).outputFiles;
    const code = bundle?.text ?? "";
    // Javy's engine (QuickJS) has no Intl and no Node: nothing the function imports may need them.
    for (const unavailable of ["Intl.", "process.", "require(", "Buffer."]) expect(code.includes(unavailable), unavailable).toBe(false);
    mkdirSync(scratch, { recursive: true });
    const file = join(scratch, "function.js");
    writeFileSync(file, code);
    const module = (await import(pathToFileURL(file).href)) as Record<string, () => void>;

    const host = globalThis as { ShopifyFunction?: { readInput(): unknown; writeOutput(value: unknown): void } };
    try {
      for (const name of fixtureNames) {
        let written: unknown = "nothing written";
        host.ShopifyFunction = { readInput: () => readFixture(name), writeOutput: (value) => (written = value) };
        module[exported]?.();
        expect(written, name).toEqual(readFixture(name.replace(".input.json", ".output.json")));
      }
    } finally {
      delete host.ShopifyFunction;
    }
  });
});
