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
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(new Date(epochMilliseconds));
  const get = (type: Intl.DateTimeFormatPartTypes): string => parts.find((part) => part.type === type)?.value ?? "00";
  const year = get("year").padStart(4, "0");
  return `${year}-${get("month")}-${get("day")}T${get("hour")}:${get("minute")}:${get("second")}`;
}
