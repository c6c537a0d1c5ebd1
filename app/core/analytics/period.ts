import { shopLocalDay, startOfShopDay } from "../shop-local-time";

/**
 * Reporting periods for the dashboard: whole days of the shop's calendar (its time zone), the last
 * one included, so "today" and each day's bar mean what they mean in Shopify's own reports. A day
 * is not always 24 hours: daylight-saving changes make some 23 or 25.
 */
export const PERIOD_LENGTHS = [7, 30, 90] as const;
export type PeriodLength = (typeof PERIOD_LENGTHS)[number];
export const DEFAULT_PERIOD_LENGTH: PeriodLength = 30;

const DAY_MS = 24 * 60 * 60 * 1000;

export interface ReportingPeriod {
  readonly days: number;
  /** The shop's IANA zone the days are counted in. */
  readonly timeZone: string;
  /** First instant included (the shop's midnight starting the first day). */
  readonly start: Date;
  /** First instant after the period (the shop's midnight after the last day). */
  readonly end: Date;
  /** Every day of the period as YYYY-MM-DD, oldest first. */
  readonly dayKeys: readonly string[];
  /** When each day begins (epoch ms), aligned with `dayKeys`; the last day ends at `end`. */
  readonly dayStarts: readonly number[];
}

export function isPeriodLength(value: number): value is PeriodLength {
  return (PERIOD_LENGTHS as readonly number[]).includes(value);
}

/** YYYY-MM-DD of the shop's day containing `at`. */
export function dayKeyOf(at: Date | number, timeZone = "UTC"): string {
  return shopLocalDay(new Date(at).getTime(), timeZone);
}

/** The calendar day `offset` days from a YYYY-MM-DD day (calendar arithmetic, no zone involved). */
function addDays(day: string, offset: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + offset * DAY_MS).toISOString().slice(0, 10);
}

/** The `days` whole shop days ending with (and including) the shop's day of `lastDay`. */
export function periodEndingOn(lastDay: Date | number, days: number, timeZone = "UTC"): ReportingPeriod {
  if (!Number.isInteger(days) || days < 1) throw new RangeError("A period has at least one whole day.");
  const last = dayKeyOf(lastDay, timeZone);
  const dayKeys = Array.from({ length: days }, (_, index) => addDays(last, index - days + 1));
  const dayStarts = dayKeys.map((day) => startOfShopDay(day, timeZone));
  const end = startOfShopDay(addDays(last, 1), timeZone);
  return { days, timeZone, start: new Date(dayStarts[0] ?? end), end: new Date(end), dayKeys, dayStarts };
}

/**
 * The period's day (YYYY-MM-DD) holding an instant, found among the days' starts; undefined
 * outside the period. The same days as `dayKeyOf`, without formatting a date in the zone for
 * each instant (a dashboard places thousands of orders).
 */
export function dayInPeriod(period: ReportingPeriod, at: Date | number): string | undefined {
  const time = new Date(at).getTime();
  if (!(time >= period.start.getTime() && time < period.end.getTime())) return undefined;
  // The last day starting at or before the instant.
  let low = 0;
  let high = period.dayStarts.length - 1;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if ((period.dayStarts[middle] ?? Infinity) <= time) low = middle;
    else high = middle - 1;
  }
  return period.dayKeys[low];
}
