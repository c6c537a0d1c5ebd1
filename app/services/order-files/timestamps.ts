const ISO_LIKE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;
const US_SLASHED = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?: (\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;

import { fromShopLocalDateTime } from "~/core/shop-local-time";

/**
 * Epoch milliseconds for the timestamp shapes order exports use: ISO 8601, Shopify's
 * "2025-05-11 09:55:16 -0400", and "YYYY-MM-DD HH:MM:SS" without zone. A time without zone is
 * read in `timeZone`: the shop's, when a merchant imports their orders (they wrote it in their
 * own time); UTC for evaluation files, where only differences between orders matter.
 * Returns undefined for anything else.
 */
export function parseTimestamp(text: string, timeZone = "UTC"): number | undefined {
  const match = ISO_LIKE.exec(text.trim());
  if (!match) return undefined;
  const [, year, month, day, hour = "0", minute = "0", second = "0", millisText = "0", zone] = match;
  const millis = Number(millisText.padEnd(3, "0"));
  const local = Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second), millis);
  if (!isValidDate(local, Number(year), Number(month), Number(day))) return undefined;
  if (zone || timeZone === "UTC") return local - zoneOffsetMs(zone);
  const wallClock = new Date(local - millis).toISOString().slice(0, 19);
  const instant = fromShopLocalDateTime(wallClock, timeZone);
  return instant === undefined ? undefined : instant + millis;
}

/** "12/1/2010 8:26" (month/day/year), the shape of the UCI workbook when saved as CSV by Excel. */
export function parseUsSlashedTimestamp(text: string): number | undefined {
  const match = US_SLASHED.exec(text.trim());
  if (!match) return undefined;
  const [, month, day, year, hour = "0", minute = "0", second = "0"] = match;
  const value = Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second));
  return isValidDate(value, Number(year), Number(month), Number(day)) ? value : undefined;
}

function zoneOffsetMs(zone: string | undefined): number {
  if (!zone || zone.toUpperCase() === "Z") return 0;
  const digits = zone.replace(":", "");
  const sign = digits.startsWith("-") ? -1 : 1;
  const hours = Number(digits.slice(1, 3));
  const minutes = Number(digits.slice(3, 5));
  return sign * (hours * 60 + minutes) * 60_000;
}

// Date.UTC silently rolls 2011-02-30 over to March; reject instead of inventing a date.
function isValidDate(value: number, year: number, month: number, day: number): boolean {
  const date = new Date(value);
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}
