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
    let end = i + 1;
    while (end < text.length && (text[end] as string) >= "0" && (text[end] as string) <= "9") end++;
    const next = text[end];
    const digits = end - i - (char === "-" ? 1 : 0);
    if (digits > SAFE_DIGITS && next !== "." && next !== "e" && next !== "E") {
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
