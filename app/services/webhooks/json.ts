/**
 * JSON.parse, except that integers too large for a double keep every digit (as strings).
 * Shopify's REST-shaped webhook payloads carry ids as bare numbers, and ids past 2^53 would
 * otherwise silently change, linking a line to the wrong product.
 */
export function parseJsonKeepingLargeIntegers(text: string): unknown {
  return JSON.parse(quoteLargeIntegers(text)) as unknown;
}

const SAFE_DIGITS = 15;

function quoteLargeIntegers(text: string): string {
  let out = "";
  let copiedUpTo = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (inString) {
      if (char === "\\") i++;
      else if (char === '"') inString = false;
      continue;
    }
    if (char === '"') {
      inString = true;
      continue;
    }
    if (char !== "-" && !(char !== undefined && char >= "0" && char <= "9")) continue;
    const integerEnd = skipDigits(text, i + 1);
    // The whole number is consumed, fraction and exponent too: their digits are not integers.
    let end = integerEnd;
    if (text[end] === ".") end = skipDigits(text, end + 1);
    if (text[end] === "e" || text[end] === "E") end = skipDigits(text, text[end + 1] === "+" || text[end + 1] === "-" ? end + 2 : end + 1);
    const digits = integerEnd - i - (char === "-" ? 1 : 0);
    if (end === integerEnd && digits > SAFE_DIGITS) {
      const literal = text.slice(i, end);
      if (!Number.isSafeInteger(Number(literal))) {
        out += `${text.slice(copiedUpTo, i)}"${literal}"`;
        copiedUpTo = end;
      }
    }
    i = end - 1;
  }
  return copiedUpTo === 0 ? text : out + text.slice(copiedUpTo);
}

function skipDigits(text: string, from: number): number {
  let end = from;
  while (end < text.length && (text[end] as string) >= "0" && (text[end] as string) <= "9") end++;
  return end;
}
