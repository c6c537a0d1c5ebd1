import { describe, expect, it } from "vitest";
import { repairMojibake } from "./mojibake";

describe("repairMojibake", () => {
  it("GIVEN UTF-8 read as Latin-1 THEN restores the characters (the UCI gift vouchers' pound sign)", () => {
    expect(repairMojibake("Dotcomgiftshop Gift Voucher Â£100.00")).toBe("Dotcomgiftshop Gift Voucher £100.00");
    expect(repairMojibake("cafÃ© au lait")).toBe("café au lait");
    expect(repairMojibake("â‚¬5 OFF")).toBe("€5 OFF");
  });

  it("GIVEN UTF-8 read as Windows-1252 THEN restores the characters", () => {
    expect(repairMojibake("DONâ€™T FORGET")).toBe("DON’T FORGET");
    expect(repairMojibake("â€œHELLOâ€\u009d")).toBe("“HELLO”");
  });

  it("GIVEN ordinary text, accented or not THEN leaves it as it is", () => {
    for (const text of ["WHITE HANGING HEART T-LIGHT HOLDER", "Crème brûlée", "£5 voucher", "Ångström", "Â", "Ã and ©", "naïve Ä"]) {
      expect(repairMojibake(text)).toBe(text);
    }
  });
});
