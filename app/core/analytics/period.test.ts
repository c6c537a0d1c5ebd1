import { describe, expect, it } from "vitest";
import { dayInPeriod, dayKeyOf, isPeriodLength, periodEndingOn } from "./period";

describe("reporting periods", () => {
  it("covers whole days (UTC unless a zone is given) ending with the given day, inclusive", () => {
    const period = periodEndingOn(new Date("2011-12-09T12:50:00Z"), 7);
    expect(period.start.toISOString()).toBe("2011-12-03T00:00:00.000Z");
    expect(period.end.toISOString()).toBe("2011-12-10T00:00:00.000Z");
    expect(period.dayKeys).toEqual(["2011-12-03", "2011-12-04", "2011-12-05", "2011-12-06", "2011-12-07", "2011-12-08", "2011-12-09"]);
  });

  it("has one key per day across a month boundary and a leap day", () => {
    const period = periodEndingOn(Date.UTC(2024, 2, 2), 30);
    expect(period.dayKeys).toHaveLength(30);
    expect(period.dayKeys).toContain("2024-02-29");
    expect(period.dayKeys.at(-1)).toBe("2024-03-02");
  });

  it("counts days in the shop's time zone, 23- and 25-hour days included", () => {
    // 23:30 UTC on 1 Jul is 2 Jul in London: that is the shop's last day.
    const london = periodEndingOn(new Date("2025-07-01T23:30:00Z"), 2, "Europe/London");
    expect(london.dayKeys).toEqual(["2025-07-01", "2025-07-02"]);
    expect([london.start.toISOString(), london.end.toISOString()]).toEqual(["2025-06-30T23:00:00.000Z", "2025-07-02T23:00:00.000Z"]);
    expect(london.dayStarts.map((at) => new Date(at).toISOString())).toEqual(["2025-06-30T23:00:00.000Z", "2025-07-01T23:00:00.000Z"]);

    const autumn = periodEndingOn(new Date("2025-10-27T12:00:00Z"), 3, "Europe/London");
    expect(autumn.dayKeys).toEqual(["2025-10-25", "2025-10-26", "2025-10-27"]);
    const lengths = [...autumn.dayStarts, autumn.end.getTime()].slice(1).map((at, index) => (at - (autumn.dayStarts[index] ?? 0)) / 3_600_000);
    expect(lengths).toEqual([24, 25, 24]);
    expect(dayKeyOf(Date.parse("2025-07-01T23:30:00Z"), "America/Los_Angeles")).toBe("2025-07-01");
  });

  it("rejects an empty period and knows the offered lengths", () => {
    expect(() => periodEndingOn(Date.now(), 0)).toThrow(RangeError);
    expect(isPeriodLength(30)).toBe(true);
    expect(isPeriodLength(31)).toBe(false);
    expect(dayKeyOf(Date.UTC(2011, 0, 1, 23, 59))).toBe("2011-01-01");
  });

  it("places an instant in the period's day that dayKeyOf names, across clock changes, and in none outside the period", () => {
    // Clocks going back and forward (London, Santiago at midnight, Lord Howe by half an hour) and
    // zones off the hour (Kolkata, Chatham).
    const cases: [string, string][] = [
      ["2025-10-28T12:00:00Z", "Europe/London"],
      ["2025-04-01T12:00:00Z", "Europe/London"],
      ["2025-04-08T12:00:00Z", "America/Santiago"],
      ["2025-09-09T12:00:00Z", "America/Santiago"],
      ["2025-04-08T12:00:00Z", "Australia/Lord_Howe"],
      ["2025-10-07T12:00:00Z", "Australia/Lord_Howe"],
      ["2025-06-03T12:00:00Z", "Asia/Kolkata"],
      ["2025-04-08T12:00:00Z", "Pacific/Chatham"],
    ];
    for (const [last, zone] of cases) {
      const period = periodEndingOn(new Date(last), 7, zone);
      const step = 7 * 60_000;
      for (let at = period.start.getTime() - 3 * step; at < period.end.getTime() + 3 * step; at += step) {
        const inside = at >= period.start.getTime() && at < period.end.getTime();
        expect(dayInPeriod(period, at), `${new Date(at).toISOString()} in ${zone}`).toBe(inside ? dayKeyOf(at, zone) : undefined);
      }
      for (const [index, start] of period.dayStarts.entries()) {
        expect(dayInPeriod(period, start)).toBe(period.dayKeys[index]);
        if (index > 0) expect(dayInPeriod(period, start - 1)).toBe(period.dayKeys[index - 1]);
      }
    }
  });
});
