import { parseArgs } from "node:util";
import { ORDER_FILE_FORMATS, type OrderFileFormat } from "~/services/order-files";
import { DEFAULT_ASSOCIATION_RULES_SUPPORT } from "./association-rules-options";
import type { EvaluateOrderFilesOptions } from "./evaluate-order-files";

export const EVAL_USAGE = `Usage: tsx scripts/eval-ranking.ts --train FILE [--test FILE] --format uci|shopify-orders|generic
       [--k 10] [--json] [--split-date YYYY-MM-DD | --holdout-fraction 0.2 [--seed N]]
       [--until YYYY-MM-DD] [--max-queries N] [--currency CODE] [--fpgrowth-support 0.003 | --no-fpgrowth]

Without --test, exactly one of --split-date (orders before the date train, the rest test) or
--holdout-fraction (a seeded random share of orders tests) is required. --until ignores orders
from that date on (e.g. to test on May-June only).`;

/** A command-line mistake: the CLI prints the message and exits with code 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

export interface EvalArguments {
  readonly files: Omit<EvaluateOrderFilesOptions, "onProgress">;
  readonly json: boolean;
}

/** Validates eval-ranking's arguments; every error names the offending option. */
export function parseEvalArguments(argv: readonly string[]): EvalArguments {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        train: { type: "string" },
        test: { type: "string" },
        format: { type: "string" },
        k: { type: "string" },
        json: { type: "boolean" },
        "split-date": { type: "string" },
        until: { type: "string" },
        "holdout-fraction": { type: "string" },
        seed: { type: "string" },
        "max-queries": { type: "string" },
        currency: { type: "string" },
        "fpgrowth-support": { type: "string" },
        "no-fpgrowth": { type: "boolean" },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (!values.train) throw new UsageError("--train FILE is required.");
  if (!values.format) throw new UsageError(`--format is required (one of ${ORDER_FILE_FORMATS.join(", ")}).`);
  if (!(ORDER_FILE_FORMATS as readonly string[]).includes(values.format)) {
    throw new UsageError(`--format must be one of ${ORDER_FILE_FORMATS.join(", ")}; got "${values.format}".`);
  }
  const k = positiveInteger("--k", values.k ?? "10");
  const seed = values.seed === undefined ? 1 : integer("--seed", values.seed);
  const maxQueries = values["max-queries"] === undefined ? undefined : positiveInteger("--max-queries", values["max-queries"]);
  if (values.currency !== undefined && !/^[A-Z]{3}$/.test(values.currency)) {
    throw new UsageError(`--currency must be an ISO 4217 code such as GBP; got "${values.currency}".`);
  }

  const splitDate = values["split-date"];
  const holdout = values["holdout-fraction"];
  if (splitDate !== undefined && holdout !== undefined) throw new UsageError("Use --split-date or --holdout-fraction, not both.");
  let split: EvaluateOrderFilesOptions["split"];
  if (values.test !== undefined) {
    if (splitDate !== undefined || holdout !== undefined) {
      throw new UsageError("--split-date and --holdout-fraction split one file; with --test the files are the split.");
    }
  } else if (splitDate !== undefined) {
    split = { kind: "date", splitAt: parseDate("--split-date", splitDate) };
  } else if (holdout !== undefined) {
    const fraction = Number(holdout);
    if (!(fraction > 0 && fraction < 1))
      throw new UsageError(`--holdout-fraction must be between 0 and 1 (exclusive); got "${holdout}".`);
    split = { kind: "holdout", fraction, seed };
  } else {
    throw new UsageError("Give --test FILE, or split --train with --split-date YYYY-MM-DD or --holdout-fraction F.");
  }

  const until = values.until === undefined ? undefined : parseDate("--until", values.until);
  if (until !== undefined && split?.kind === "date" && until <= split.splitAt) {
    throw new UsageError("--until must be after --split-date, or nothing is left to test.");
  }

  let associationRules: EvaluateOrderFilesOptions["associationRules"] = { minSupport: DEFAULT_ASSOCIATION_RULES_SUPPORT };
  if (values["no-fpgrowth"]) {
    if (values["fpgrowth-support"] !== undefined)
      throw new UsageError("--fpgrowth-support and --no-fpgrowth contradict each other.");
    associationRules = false;
  } else if (values["fpgrowth-support"] !== undefined) {
    const minSupport = Number(values["fpgrowth-support"]);
    if (!(minSupport > 0 && minSupport < 1))
      throw new UsageError(`--fpgrowth-support must be between 0 and 1; got "${values["fpgrowth-support"]}".`);
    associationRules = { minSupport };
  }

  return {
    json: values.json ?? false,
    files: {
      trainFile: values.train,
      format: values.format as OrderFileFormat,
      k,
      seed,
      associationRules,
      ...(values.test !== undefined ? { testFile: values.test } : {}),
      ...(split ? { split } : {}),
      ...(maxQueries !== undefined ? { maxQueries } : {}),
      ...(until !== undefined ? { until } : {}),
      ...(values.currency !== undefined ? { currency: values.currency } : {}),
    },
  };
}

function integer(option: string, text: string): number {
  const value = Number(text);
  if (!/^-?\d+$/.test(text.trim()) || !Number.isSafeInteger(value))
    throw new UsageError(`${option} must be an integer; got "${text}".`);
  return value;
}

function positiveInteger(option: string, text: string): number {
  const value = integer(option, text);
  if (value < 1) throw new UsageError(`${option} must be at least 1; got "${text}".`);
  return value;
}

function parseDate(option: string, text: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const value = match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : Number.NaN;
  if (!match || Number.isNaN(value) || new Date(value).toISOString().slice(0, 10) !== text) {
    throw new UsageError(`${option} must be a date as YYYY-MM-DD; got "${text}".`);
  }
  return value;
}
