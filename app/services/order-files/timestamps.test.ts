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

  it("reads a time without offset in the zone it is given, and ignores the zone when the text has an offset", () => {
    // A merchant in Los Angeles wrote 8 pm on 30 June (PDT, UTC-7).
    expect(parseTimestamp("2024-06-30 20:00:00", "America/Los_Angeles")).toBe(Date.UTC(2024, 6, 1, 3, 0));
    expect(parseTimestamp("2024-06-30T20:00:00.250", "America/Los_Angeles")).toBe(Date.UTC(2024, 6, 1, 3, 0, 0, 250));
    expect(parseTimestamp("2024-12-30", "Europe/Paris")).toBe(Date.UTC(2024, 11, 29, 23, 0));
    expect(parseTimestamp("2024-06-30 20:00:00 -0400", "America/Los_Angeles")).toBe(Date.UTC(2024, 7 - 1, 1, 0, 0));
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
