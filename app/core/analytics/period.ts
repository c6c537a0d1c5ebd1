/**
 * Reporting periods for the dashboard: whole UTC days, the last one included. Days are UTC so a
 * figure is the same for every viewer and every server; the page says so.
 */
export const PERIOD_LENGTHS = [7, 30, 90] as const;
export type PeriodLength = (typeof PERIOD_LENGTHS)[number];
export const DEFAULT_PERIOD_LENGTH: PeriodLength = 30;

const DAY_MS = 24 * 60 * 60 * 1000;

export interface ReportingPeriod {
  readonly days: number;
  /** First instant included (UTC midnight). */
  readonly start: Date;
  /** First instant after the period (UTC midnight after the last day). */
  readonly end: Date;
  /** Every day of the period as YYYY-MM-DD, oldest first. */
  readonly dayKeys: readonly string[];
}

export function isPeriodLength(value: number): value is PeriodLength {
  return (PERIOD_LENGTHS as readonly number[]).includes(value);
}

/** YYYY-MM-DD of the UTC day containing `at`. */
export function dayKeyOf(at: Date | number): string {
  return new Date(at).toISOString().slice(0, 10);
}

/** The `days` whole UTC days ending with (and including) the day of `lastDay`. */
export function periodEndingOn(lastDay: Date | number, days: number): ReportingPeriod {
  if (!Number.isInteger(days) || days < 1) throw new RangeError("A period has at least one whole day.");
  const last = new Date(lastDay);
  const end = Date.UTC(last.getUTCFullYear(), last.getUTCMonth(), last.getUTCDate()) + DAY_MS;
  const start = end - days * DAY_MS;
  const dayKeys: string[] = [];
  for (let day = start; day < end; day += DAY_MS) dayKeys.push(dayKeyOf(day));
  return { days, start: new Date(start), end: new Date(end), dayKeys };
}
