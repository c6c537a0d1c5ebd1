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

export class IngestError extends Error {
  override name = "IngestError";
  constructor(
    message: string,
    readonly problems: string[] = [],
  ) {
    super(problems.length > 0 ? `${message}\n${problems.map((problem) => `  - ${problem}`).join("\n")}` : message);
  }
}
