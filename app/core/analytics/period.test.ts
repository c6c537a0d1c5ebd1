import { describe, expect, it } from "vitest";
import { dayKeyOf, isPeriodLength, periodEndingOn } from "./period";

describe("reporting periods", () => {
  it("covers whole UTC days ending with the given day, inclusive", () => {
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

  it("rejects an empty period and knows the offered lengths", () => {
    expect(() => periodEndingOn(Date.now(), 0)).toThrow(RangeError);
    expect(isPeriodLength(30)).toBe(true);
    expect(isPeriodLength(31)).toBe(false);
    expect(dayKeyOf(Date.UTC(2011, 0, 1, 23, 59))).toBe("2011-01-01");
  });
});
