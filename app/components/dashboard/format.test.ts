import { describe, expect, it } from "vitest";
import { formatFileSize } from "./format";

describe("formatFileSize", () => {
  it("says bytes below a kilobyte, then KB and MB with one decimal, counting 1,024 to the next unit", () => {
    expect([0, 1, 12, 1023].map(formatFileSize)).toEqual(["0 bytes", "1 byte", "12 bytes", "1,023 bytes"]);
    expect([1024, 494_080, 1024 * 1024 - 1].map(formatFileSize)).toEqual(["1.0 KB", "482.5 KB", "1.0 MB"]);
    expect([1024 * 1024, 52 * 1024 * 1024 + 100 * 1024].map(formatFileSize)).toEqual(["1.0 MB", "52.1 MB"]);
  });
});
