import { describe, expect, it } from "vitest";
import { parseTimestamp, parseUsSlashedTimestamp } from "./timestamps";

describe("parseTimestamp", () => {
  it.each([
    ["2025-05-11 09:55:16 -0400", Date.UTC(2025, 4, 11, 13, 55, 16)],
    ["2025-05-11T09:55:16+05:30", Date.UTC(2025, 4, 11, 4, 25, 16)],
    ["2025-05-11T09:55:16.250Z", Date.UTC(2025, 4, 11, 9, 55, 16, 250)],
    ["2010-12-01 08:26:00", Date.UTC(2010, 11, 1, 8, 26)],
    ["2010-12-01", Date.UTC(2010, 11, 1)],
  ])("reads %s", (text, expected) => {
    expect(parseTimestamp(text)).toBe(expected);
  });

  it("rejects what is not a timestamp, including impossible dates", () => {
    expect(parseTimestamp("yesterday")).toBeUndefined();
    expect(parseTimestamp("2011-02-30")).toBeUndefined();
  });

  it("reads the UCI workbook's month/day/year shape", () => {
    expect(parseUsSlashedTimestamp("12/1/2010 8:26")).toBe(Date.UTC(2010, 11, 1, 8, 26));
    expect(parseUsSlashedTimestamp("13/1/2010 8:26")).toBeUndefined();
  });
});
