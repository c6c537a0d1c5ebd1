/**
 * Repairs text whose UTF-8 bytes were once decoded as Latin-1 or Windows-1252 and saved again as
 * UTF-8 ("mojibake"): "Â£40.00" is "£40.00", "cafÃ©" is "café", "donâ€™t" is "don’t". The UCI
 * Online Retail file holds such descriptions (the gift vouchers' "Â£").
 *
 * Only a run that reads back as one valid UTF-8 character is replaced, so ordinary accented text
 * ("Crème brûlée", "£5") is left as it is.
 */

// Windows-1252 puts printable characters where Latin-1 has C1 controls (0x80-0x9F).
const WINDOWS_1252: Record<string, number> = {
  "€": 0x80, "‚": 0x82, "ƒ": 0x83, "„": 0x84, "…": 0x85, "†": 0x86, "‡": 0x87, "ˆ": 0x88, "‰": 0x89,
  "Š": 0x8a, "‹": 0x8b, "Œ": 0x8c, "Ž": 0x8e, "‘": 0x91, "’": 0x92, "“": 0x93, "”": 0x94, "•": 0x95,
  "–": 0x96, "—": 0x97, "˜": 0x98, "™": 0x99, "š": 0x9a, "›": 0x9b, "œ": 0x9c, "ž": 0x9e, "Ÿ": 0x9f,
};

const CONTINUATION = "[\\u0080-\\u00BF€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ]";
// A UTF-8 lead byte read as one character, then the continuation bytes it announces.
const SUSPECT_RUN = new RegExp(
  `[\\u00C2-\\u00DF]${CONTINUATION}|[\\u00E0-\\u00EF]${CONTINUATION}{2}|[\\u00F0-\\u00F4]${CONTINUATION}{3}`,
  "g",
);

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

function byteOf(char: string): number {
  return WINDOWS_1252[char] ?? char.charCodeAt(0);
}

export function repairMojibake(text: string): string {
  return text.replace(SUSPECT_RUN, (run) => {
    try {
      return strictUtf8.decode(Uint8Array.from(Array.from(run, byteOf)));
    } catch {
      return run;
    }
  });
}
