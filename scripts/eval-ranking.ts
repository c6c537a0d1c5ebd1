/**
 * Offline evaluation of the ranking engine against baselines on order files.
 *   tsx scripts/eval-ranking.ts --train FILE [--test FILE] --format uci|shopify-orders|generic --k 10 [--json]
 *     [--split-date YYYY-MM-DD | --holdout-fraction 0.2 --seed N] [--max-queries N]
 *   tsx scripts/eval-ranking.ts --help   (the options, with what each does)
 * Exit codes: 0 done, 2 bad arguments or unreadable input, 1 anything else.
 * Figures and the exact commands behind them: docs/benchmarks-ranking.md.
 */
import { constants } from "node:fs";
import { access, stat } from "node:fs/promises";
import { OrderFileError } from "~/services/order-files";
import {
  EVAL_USAGE,
  EvaluationInputError,
  evaluateOrderFiles,
  formatEvaluationTable,
  parseEvalArguments,
  UsageError,
} from "~/services/ranking-evaluation";

async function main(): Promise<number> {
  if (process.argv.includes("--help") || process.argv.includes("-h")) {
    process.stdout.write(`${EVAL_USAGE}\n`);
    return 0;
  }
  let args;
  try {
    args = parseEvalArguments(process.argv.slice(2));
    await checkInputFile("--train", args.files.trainFile);
    if (args.files.testFile !== undefined) await checkInputFile("--test", args.files.testFile);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`eval-ranking: ${error.message}\n\n${EVAL_USAGE}\n`);
      return 2;
    }
    throw error;
  }
  const started = performance.now();
  const progress = (message: string) =>
    process.stderr.write(`[${((performance.now() - started) / 1000).toFixed(1)}s] ${message}\n`);
  try {
    const report = await evaluateOrderFiles({ ...args.files, onProgress: progress });
    if (args.json) {
      const { k, tasks, coverage, popularShare } = report;
      process.stdout.write(`${JSON.stringify({ k, tasks, coverage, popularShare })}\n`);
    } else {
      process.stdout.write(`${formatEvaluationTable(report)}\n`);
    }
    progress("done");
    return 0;
  } catch (error) {
    if (error instanceof OrderFileError || error instanceof EvaluationInputError) {
      process.stderr.write(`eval-ranking: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

/** A path that cannot be read is an argument mistake: say which option, before any work starts. */
async function checkInputFile(option: string, file: string): Promise<void> {
  // access() alone accepts a directory, which then fails mid-read.
  const stats = await stat(file).catch(() => undefined);
  if (stats?.isDirectory()) throw new UsageError(`${option}: "${file}" is a directory, not a file.`);
  await access(file, constants.R_OK).catch(() => {
    throw new UsageError(`${option}: cannot read "${file}".`);
  });
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`eval-ranking: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
);
