// Building a formatter loads the zone's rules: far slower than formatting, so one per zone.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/**
 * Shopify's function clock (`shop.localTime`) compares against wall-clock times in the shop's
 * time zone, without an offset ("2025-06-01T09:00:00"). This turns an instant into that form.
 * Intl supplies the time-zone rules; it is deterministic for a given runtime, and this runs in
 * the app (when the configuration is written), never inside the checkout function.
 */
export function toShopLocalDateTime(epochMilliseconds: number, timeZone: string): string {
  if (timeZone === "UTC" || timeZone === "Etc/UTC") {
    return new Date(epochMilliseconds).toISOString().slice(0, 19);
  }
  const parts = formatterFor(timeZone).formatToParts(new Date(epochMilliseconds));
  const get = (type: Intl.DateTimeFormatPartTypes): string => parts.find((part) => part.type === type)?.value ?? "00";
  const year = get("year").padStart(4, "0");
  return `${year}-${get("month")}-${get("day")}T${get("hour")}:${get("minute")}:${get("second")}`;
}

const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;
const DAY_MS = 86_400_000;

/** True when the runtime knows the IANA zone (Shopify's `ianaTimezone`), e.g. "Europe/London". */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** The zone when this runtime can read it, else undefined: an unreadable zone would break every schedule. */
export function usableTimeZone(timeZone: string | null | undefined): string | undefined {
  return timeZone && isKnownTimeZone(timeZone) ? timeZone : undefined;
}

/** The zone's offset from UTC at an instant, in ms (east positive). */
function offsetAt(epochMilliseconds: number, timeZone: string): number {
  return Date.parse(`${toShopLocalDateTime(epochMilliseconds, timeZone)}Z`) - Math.floor(epochMilliseconds / 1000) * 1000;
}

/**
 * The instant a merchant means by a wall-clock time in the shop's zone ("2025-11-28T00:00"):
 * the inverse of `toShopLocalDateTime`. Around daylight-saving changes it does what calendars
 * do: a time that happens twice (clocks go back) is the first of the two, and a time that never
 * happens (clocks go forward) moves forward by the gap, so "02:30" on that night is "03:30".
 * Undefined when the text is not a valid date-time.
 */
export function fromShopLocalDateTime(local: string, timeZone: string): number | undefined {
  const match = LOCAL_DATE_TIME.exec(local);
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1).map((part) => Number(part ?? 0)) as [number, number, number, number, number, number];
  const asUtc = Date.UTC(year, month - 1, day, hour, minute, second);
  const normalised = new Date(asUtc).toISOString().slice(0, 19);
  // Date.UTC rolls "02-30" over to March; a date that does not exist is an error, not a guess.
  if (normalised !== `${match[1]}-${match[2]}-${match[3]}T${match[4]}:${match[5]}:${match[6] ?? "00"}`) return undefined;
  // Zones change offset at most once in any two days, so the offsets a day either side are the only candidates.
  const before = offsetAt(asUtc - DAY_MS, timeZone);
  const after = offsetAt(asUtc + DAY_MS, timeZone);
  const matches = [asUtc - before, asUtc - after].filter((instant) => toShopLocalDateTime(instant, timeZone) === normalised);
  if (matches.length > 0) return Math.min(...matches);
  return asUtc - before;
}

/** The shop's calendar day (YYYY-MM-DD) at an instant: what "today" means to the merchant. */
export function shopLocalDay(epochMilliseconds: number, timeZone: string): string {
  return toShopLocalDateTime(epochMilliseconds, timeZone).slice(0, 10);
}

/** The instant a shop's calendar day (YYYY-MM-DD) begins; where midnight is skipped, when the day does. */
export function startOfShopDay(day: string, timeZone: string): number {
  const start = fromShopLocalDateTime(`${day}T00:00`, timeZone);
  if (start === undefined) throw new RangeError(`Not a day: ${day}`);
  return start;
}
