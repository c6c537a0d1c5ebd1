/** Splits a list into consecutive pieces of at most `size` (for IN lists and insert batches). */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let start = 0; start < items.length; start += size) out.push(items.slice(start, start + size));
  return out;
}

/** Keeps the last item for each key: a source that repeats a record means its latest version. */
export function lastByKey<T>(items: readonly T[], key: (item: T) => string): T[] {
  const byKey = new Map<string, T>();
  for (const item of items) {
    const k = key(item);
    byKey.delete(k);
    byKey.set(k, item);
  }
  return [...byKey.values()];
}

/** Ids per IN (...) list: well under SQLite's and PostgreSQL's bound-parameter limits. */
export const IN_LIST_SIZE = 500;

export class IngestError extends Error {
  override name = "IngestError";
  constructor(
    message: string,
    readonly problems: string[] = [],
  ) {
    super(problems.length > 0 ? `${message}\n${problems.map((problem) => `  - ${problem}`).join("\n")}` : message);
  }
}
