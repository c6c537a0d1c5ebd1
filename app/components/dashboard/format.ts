import { formatMinorAsDecimal } from "~/core/money";

/**
 * Display formatting for the admin. Amounts stay integer minor units until here; Intl receives
 * the exact decimal string, so no float ever touches a price on its way to the screen.
 */
export function formatAmount(amount: number | null, currency: string): string {
  if (amount === null) return "–";
  const decimal = formatMinorAsDecimal(amount, currency);
  try {
    // Intl formats decimal strings exactly (ES2023 NumberFormat v3).
    return new Intl.NumberFormat("en", { style: "currency", currency }).format(decimal as unknown as number);
  } catch {
    return `${decimal} ${currency}`;
  }
}

/** A share (0..1) as a percentage with one decimal, or a dash when there is nothing to divide. */
export function formatShare(share: number | null): string {
  if (share === null) return "–";
  return `${(share * 100).toFixed(1)}%`;
}

/**
 * A file's size as a merchant reads it: "12 bytes", "482.5 KB", "52.0 MB" (1 KB = 1,024 bytes, as
 * the upload limit's "50 MB" counts).
 */
export function formatFileSize(bytes: number): string {
  if (bytes < 1024) return bytes === 1 ? "1 byte" : `${bytes.toLocaleString("en")} bytes`;
  const oneDecimal = (value: number) => value.toLocaleString("en", { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  // By the rounded figure, so a size just under a megabyte reads "1.0 MB", not "1,024.0 KB".
  const kilobytes = Math.round((bytes / 1024) * 10) / 10;
  return kilobytes < 1024 ? `${oneDecimal(kilobytes)} KB` : `${oneDecimal(bytes / (1024 * 1024))} MB`;
}

/** "–" for a count that is not measured (null). */
export function formatCount(value: number | null): string {
  if (value === null) return "–";
  return value.toLocaleString("en");
}

/**
 * "3 Jun 2011" for a YYYY-MM-DD day (a shop day, as the periods name them) or an ISO instant (its
 * UTC day). Formatting in UTC keeps a day key the day it names, whatever the viewer's zone.
 */
export function formatDay(day: string): string {
  return new Date(day.length === 10 ? `${day}T00:00:00Z` : day).toLocaleDateString("en-GB", {
    day: "numeric",
    month: "short",
    year: "numeric",
    timeZone: "UTC",
  });
}

/**
 * "5 Dec 2026, 10:41" for an instant, in the shop's time zone: formatted where the page is built,
 * so the server's and the browser's zones cannot disagree.
 */
export function formatDateTime(iso: string, timeZone: string): string {
  return new Date(iso).toLocaleString("en-GB", { day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit", timeZone });
}

/** Minor units as a plain number of major units, for chart axes only (plotting, not arithmetic). */
export function toMajorUnits(amount: number, currency: string): number {
  return Number(formatMinorAsDecimal(amount, currency));
}
