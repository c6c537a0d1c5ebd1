import type { CastingContext, Info } from "csv-parse";

/** The parser's counts that place a record in the file. */
type ParserPosition = Pick<Info, "lines" | "empty_lines">;

/**
 * Follows a csv-parse parser through a file so that an error can name the line where the broken
 * record starts. The parser's own error names the line it had reached: for a quote that is never
 * closed, that is the end of the file, not the line the quote opens on.
 */
export class CsvLineTracker {
  /** The line the last record read ends on (0 before any), and the blank lines skipped by then. */
  private lastLine = 0;
  private lastEmptyLines = 0;

  /** Call with the parser's counts once a record (the header included) has been read. */
  recordRead(position: ParserPosition): void {
    this.lastLine = position.lines;
    this.lastEmptyLines = position.empty_lines;
  }

  /** For csv-parse's `on_record` option: notes where the record ends and passes it on unchanged. */
  readonly onRecord = <T>(record: T, context: CastingContext): T => {
    this.recordRead(context);
    return record;
  };

  /** The line on which the record the parser was reading when it failed starts. */
  startOfFailedRecord(error: Partial<ParserPosition>): number {
    // Blank lines skipped since the last record lie between it and the broken one.
    const blankLines = Math.max(0, (error.empty_lines ?? this.lastEmptyLines) - this.lastEmptyLines);
    return this.lastLine + 1 + blankLines;
  }
}

export interface CsvSyntaxProblem {
  /** 1-based line of the file (the header is line 1; blank lines count). */
  readonly line: number;
  /** What is wrong there and how to fix it, for "Line N: <problem>". */
  readonly problem: string;
}

/**
 * A csv-parse error about quotes, in the words the import messages use, placed on the line to fix;
 * undefined for any other error. Shared by the admin's CSV import and the order-file parser.
 */
export function csvSyntaxProblem(error: unknown, tracker: CsvLineTracker): CsvSyntaxProblem | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const { code, lines, empty_lines: emptyLines } = error as { code?: unknown; lines?: unknown; empty_lines?: unknown };
  const position = { empty_lines: typeof emptyLines === "number" ? emptyLines : undefined };
  switch (code) {
    case "CSV_QUOTE_NOT_CLOSED":
      return {
        line: tracker.startOfFailedRecord(position),
        problem: 'a quoted field is never closed (a " without its closing "), so the rest of the file cannot be read. Add the closing " or remove the stray one.',
      };
    case "CSV_INVALID_CLOSING_QUOTE":
      return typeof lines === "number"
        ? { line: lines, problem: 'a quoted field has a " in its text that is not doubled. Inside quotes, write a " as two ("").' }
        : undefined;
    case "INVALID_OPENING_QUOTE":
      return typeof lines === "number"
        ? { line: lines, problem: 'a field has a " in its text but is not in quotes. Put the field in quotes and write each " in it as two ("").' }
        : undefined;
    default:
      return undefined;
  }
}
