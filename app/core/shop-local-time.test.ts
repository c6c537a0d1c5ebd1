import { describe, expect, it } from "vitest";
import { fromShopLocalDateTime, isKnownTimeZone, shopLocalDay, startOfShopDay, toShopLocalDateTime } from "./shop-local-time";

const iso = (instant: number | undefined) => (instant === undefined ? undefined : new Date(instant).toISOString());

describe("fromShopLocalDateTime", () => {
  it("reads a wall-clock time in the shop's zone, winter and summer", () => {
    expect(iso(fromShopLocalDateTime("2025-01-15T07:00", "America/New_York"))).toBe("2025-01-15T12:00:00.000Z");
    expect(iso(fromShopLocalDateTime("2025-07-15T08:00", "America/New_York"))).toBe("2025-07-15T12:00:00.000Z");
    expect(iso(fromShopLocalDateTime("2025-11-28T00:00", "Europe/London"))).toBe("2025-11-28T00:00:00.000Z");
    expect(iso(fromShopLocalDateTime("2025-06-01T09:30:15", "Asia/Kolkata"))).toBe("2025-06-01T04:00:15.000Z");
    expect(iso(fromShopLocalDateTime("2025-06-01T00:00", "UTC"))).toBe("2025-06-01T00:00:00.000Z");
  });

  it("inverts toShopLocalDateTime across a year of hours in zones with and without daylight saving", () => {
    for (const zone of ["Europe/London", "America/Los_Angeles", "Australia/Sydney", "Asia/Tokyo", "Pacific/Chatham"]) {
      for (let instant = Date.parse("2025-01-01T00:00:00Z"); instant < Date.parse("2026-01-01T00:00:00Z"); instant += 3_600_000 * 7) {
        const local = toShopLocalDateTime(instant, zone);
        const back = fromShopLocalDateTime(local, zone);
        // A repeated hour maps to its first occurrence, which shows the same wall clock.
        expect(back === undefined ? undefined : toShopLocalDateTime(back, zone)).toBe(local);
        expect(back).toBeLessThanOrEqual(instant);
        expect(instant - (back ?? 0)).toBeLessThanOrEqual(3_600_000);
      }
    }
  });

  it("takes the first of a time that happens twice when clocks go back", () => {
    // London, 26 Oct 2025: 01:30 BST (00:30Z), then 01:30 GMT (01:30Z).
    expect(iso(fromShopLocalDateTime("2025-10-26T01:30", "Europe/London"))).toBe("2025-10-26T00:30:00.000Z");
  });

  it("moves a time that never happens forward by the gap when clocks go forward", () => {
    // London, 30 Mar 2025: 01:00 GMT jumps to 02:00 BST; 01:30 does not exist and means 02:30 BST.
    const instant = fromShopLocalDateTime("2025-03-30T01:30", "Europe/London");
    expect(iso(instant)).toBe("2025-03-30T01:30:00.000Z");
    expect(toShopLocalDateTime(instant ?? 0, "Europe/London")).toBe("2025-03-30T02:30:00");
  });

  it("rejects text that is not a real date-time", () => {
    expect(fromShopLocalDateTime("2025-02-30T10:00", "UTC")).toBeUndefined();
    expect(fromShopLocalDateTime("2025-06-01 10:00", "UTC")).toBeUndefined();
    expect(fromShopLocalDateTime("2025-06-01T24:00", "UTC")).toBeUndefined();
    expect(fromShopLocalDateTime("", "UTC")).toBeUndefined();
  });
});

describe("isKnownTimeZone", () => {
  it("accepts IANA names and refuses anything else", () => {
    expect(isKnownTimeZone("Europe/London")).toBe(true);
    expect(isKnownTimeZone("UTC")).toBe(true);
    expect(isKnownTimeZone("Mars/Olympus_Mons")).toBe(false);
    expect(isKnownTimeZone("")).toBe(false);
  });
});

describe("shop days", () => {
  it("names the shop's calendar day and finds when it begins, including days of 23 and 25 hours", () => {
    // 23:30 UTC on 1 Jul is already 2 Jul in London and still 1 Jul in Los Angeles.
    expect(shopLocalDay(Date.parse("2025-07-01T23:30:00Z"), "Europe/London")).toBe("2025-07-02");
    expect(shopLocalDay(Date.parse("2025-07-01T23:30:00Z"), "America/Los_Angeles")).toBe("2025-07-01");
    expect(new Date(startOfShopDay("2025-07-02", "Europe/London")).toISOString()).toBe("2025-07-01T23:00:00.000Z");
    expect(startOfShopDay("2025-03-31", "Europe/London") - startOfShopDay("2025-03-30", "Europe/London")).toBe(23 * 3_600_000);
    expect(startOfShopDay("2025-10-27", "Europe/London") - startOfShopDay("2025-10-26", "Europe/London")).toBe(25 * 3_600_000);
    expect(() => startOfShopDay("2025-13-01", "UTC")).toThrow(RangeError);
  });

  it("starts a day whose midnight is skipped when its clocks jump", () => {
    // Santiago, 7 Sep 2025: midnight becomes 01:00, so the day begins at 01:00 local (04:00Z).
    expect(new Date(startOfShopDay("2025-09-07", "America/Santiago")).toISOString()).toBe("2025-09-07T04:00:00.000Z");
  });
});
