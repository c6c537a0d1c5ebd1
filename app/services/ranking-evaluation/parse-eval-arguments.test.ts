import { describe, expect, it } from "vitest";
import { parseEvalArguments, UsageError } from "./parse-eval-arguments";

describe("parseEvalArguments", () => {
  it("GIVEN a temporal split THEN returns the file options with defaults", () => {
    expect(parseEvalArguments(["--train", "orders.csv", "--format", "uci", "--split-date", "2011-07-01"])).toEqual({
      json: false,
      files: {
        trainFile: "orders.csv",
        format: "uci",
        k: 10,
        seed: 1,
        associationRules: { minSupport: 0.003 },
        split: { kind: "date", splitAt: Date.UTC(2011, 6, 1) },
      },
    });
  });

  it("reads a holdout split, a test file and the optional flags", () => {
    const holdout = parseEvalArguments([
      "--train",
      "a.csv",
      "--format",
      "generic",
      "--holdout-fraction",
      "0.2",
      "--seed",
      "7",
      "--k",
      "5",
      "--json",
      "--max-queries",
      "100",
      "--currency",
      "EUR",
      "--no-fpgrowth",
    ]);
    expect(holdout).toEqual({
      json: true,
      files: {
        trainFile: "a.csv",
        format: "generic",
        k: 5,
        seed: 7,
        associationRules: false,
        split: { kind: "holdout", fraction: 0.2, seed: 7 },
        maxQueries: 100,
        currency: "EUR",
      },
    });
    expect(
      parseEvalArguments(["--train", "a.csv", "--format", "uci", "--split-date", "2011-05-01", "--until", "2011-07-01"]).files
        .until
    ).toBe(Date.UTC(2011, 6, 1));
    const files = parseEvalArguments([
      "--train",
      "a.csv",
      "--test",
      "b.csv",
      "--format",
      "shopify-orders",
      "--fpgrowth-support",
      "0.01",
    ]);
    expect(files.files).toMatchObject({ testFile: "b.csv", associationRules: { minSupport: 0.01 } });
    expect(files.files.split).toBeUndefined();
  });

  it.each([
    [["--format", "uci", "--split-date", "2011-07-01"], /--train/],
    [["--train", "a.csv", "--split-date", "2011-07-01"], /--format is required/],
    [["--train", "a.csv", "--format", "xlsx", "--split-date", "2011-07-01"], /--format must be one of/],
    [["--train", "a.csv", "--format", "uci"], /--test FILE, or split/],
    [["--train", "a.csv", "--format", "uci", "--split-date", "2011-02-30"], /--split-date must be a date/],
    [["--train", "a.csv", "--format", "uci", "--split-date", "2011-07-01", "--holdout-fraction", "0.2"], /not both/],
    [
      ["--train", "a.csv", "--test", "b.csv", "--format", "uci", "--split-date", "2011-07-01"],
      /with --test the files are the split/,
    ],
    [["--train", "a.csv", "--format", "uci", "--holdout-fraction", "1.5"], /--holdout-fraction must be between 0 and 1/],
    [["--train", "a.csv", "--format", "uci", "--split-date", "2011-07-01", "--k", "0"], /--k must be at least 1/],
    [["--train", "a.csv", "--format", "uci", "--split-date", "2011-07-01", "--k", "ten"], /--k must be an integer/],
    [["--train", "a.csv", "--format", "uci", "--split-date", "2011-07-01", "--max-queries", "-3"], /--max-queries/],
    [["--train", "a.csv", "--format", "uci", "--split-date", "2011-07-01", "--currency", "pounds"], /--currency/],
    [
      ["--train", "a.csv", "--format", "uci", "--split-date", "2011-07-01", "--no-fpgrowth", "--fpgrowth-support", "0.1"],
      /contradict/,
    ],
    [["--train", "a.csv", "--format", "uci", "--split-date", "2011-07-01", "--verbose"], /verbose/],
    [["--train", "a.csv", "--format", "uci", "--split-date", "2011-07-01", "--until", "2011-06-01"], /--until must be after/],
    [["--train", "a.csv", "--format", "uci", "--split-date", "2011-07-01", "--until", "soon"], /--until must be a date/],
  ])("GIVEN %j THEN fails with a message naming the problem", (argv, message) => {
    expect(() => parseEvalArguments(argv)).toThrow(UsageError);
    expect(() => parseEvalArguments(argv)).toThrow(message);
  });
});
