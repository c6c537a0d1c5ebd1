import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

// The CLI is run as a user runs it, so exit codes and what reaches stderr are what is tested.
const root = path.resolve(import.meta.dirname, "..");
const dir = mkdtempSync(path.join(tmpdir(), "eval-ranking-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function csvFile(name: string, lines: readonly string[]): string {
  const file = path.join(dir, name);
  writeFileSync(file, `${lines.join("\n")}\n`);
  return file;
}

function evalRanking(args: readonly string[]): { status: number | null; stderr: string; stdout: string } {
  const result = spawnSync(process.execPath, [path.join(root, "node_modules/tsx/dist/cli.mjs"), "scripts/eval-ranking.ts", ...args], {
    cwd: root,
    encoding: "utf8",
  });
  return { status: result.status, stderr: result.stderr, stdout: result.stdout };
}

// Six two-item orders over four products: enough for the engine to know every product.
const TRAIN = csvFile("train.csv", [
  "order_id,product_id",
  ...["a,b", "a,c", "b,d", "a,b", "c,d", "a,d"].flatMap((pair, i) => pair.split(",").map((product) => `tr${i},${product}`)),
]);
const TEST = csvFile("test.csv", ["order_id,product_id", "te0,a", "te0,b", "te1,c", "te1,d"]);

describe("eval-ranking CLI", () => {
  it("GIVEN a directory where a file is expected THEN says so and exits 2", () => {
    const { status, stderr } = evalRanking(["--train", dir, "--test", TEST, "--format", "generic"]);
    expect(stderr).toContain(`--train: "${dir}" is a directory, not a file.`);
    expect(stderr).not.toContain("EISDIR");
    expect(status).toBe(2);
  });

  it("GIVEN a currency code the file gets wrong THEN names the file, line and column without a stack trace, and exits 2", () => {
    const file = csvFile("lower-currency.csv", [
      "Name,Created at,Currency,Lineitem quantity,Lineitem name,Lineitem price",
      "#1,2025-01-01 10:00:00 +0000,EUR,1,A,1.00",
      "#1,,,1,B,1.00",
      "#2,2025-01-02 10:00:00 +0000,eur,1,A,1.00",
      "#2,,,1,B,1.00",
    ]);
    const { status, stderr } = evalRanking(["--train", file, "--format", "shopify-orders", "--holdout-fraction", "0.5", "--no-fpgrowth"]);
    expect(stderr).toContain(`eval-ranking: ${file}: Line 4, column "Currency": "eur" is not an ISO 4217 currency code`);
    expect(stderr).not.toMatch(/MoneyError|\n\s+at /);
    expect(status).toBe(2);
  });

  it("GIVEN a price too large for the currency THEN names the file, line and column, and exits 2", () => {
    const file = csvFile("huge-price.csv", ["order_id,product_id,price", "1,a,99999999999999999999", "1,b,1"]);
    const { status, stderr } = evalRanking(["--train", file, "--test", TEST, "--format", "generic"]);
    expect(stderr).toContain(`eval-ranking: ${file}: Line 2, column "price": "99999999999999999999" is too large`);
    expect(stderr).not.toMatch(/MoneyError|\n\s+at /);
    expect(status).toBe(2);
  });

  it("GIVEN test orders that each hold one product THEN reports that there is nothing to predict, and exits 2", () => {
    const file = csvFile("single.csv", ["order_id,product_id", "t0,a", "t1,b", "t2,c"]);
    const { status, stderr, stdout } = evalRanking(["--train", TRAIN, "--test", file, "--format", "generic", "--no-fpgrowth"]);
    expect(stderr).toContain("None of the 3 test orders has two or more products");
    expect(stdout).toBe("");
    expect(status).toBe(2);
  });

  it("GIVEN well-formed files THEN prints the table and exits 0", () => {
    const { status, stdout } = evalRanking(["--train", TRAIN, "--test", TEST, "--format", "generic", "--no-fpgrowth", "--json"]);
    expect(status).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ k: 10 });
  });
});
