import { NAMED_ENTITIES } from "./html-entities";

/**
 * Product descriptions arrive as HTML ("Body (HTML)"); the catalog keeps plain text, as the
 * Admin API's `description` field does, so the ranking's text similarity sees words, not tags
 * or entities ("Nice&rsquo;s" must read "Nice’s", not the word "rsquo").
 */
export function htmlToText(html: string): string {
  return (
    withoutTags(withoutScriptsAndStyles(html).replace(/<br\s*\/?>|<\/(p|div|li|h[1-6])>/gi, "\n"))
      // One pass, so "&amp;eacute;" is the text "&eacute;", not "é".
      .replace(/&(#\d+|#x[0-9a-f]+|[a-z][a-z0-9]*);/gi, (entity, name: string) => {
        if (name.startsWith("#")) return fromCodePoint(name);
        return NAMED_ENTITIES[name] ?? entity;
      })
      // A soft hyphen is invisible unless a line breaks there; kept, it would split the word in two.
      .replace(/\u00ad/g, "")
      // A non-breaking space is a space in plain text.
      .replace(/[ \t\f\v\r\u00a0]+/g, " ")
      .replace(/ *\n[\n ]*/g, "\n")
      .trim()
  );
}

/**
 * `<script …>…</script>` and `<style …>…</style>` (each closed by its own end tag) replaced by a
 * space, as /<(script|style)\b[^>]*>[\s\S]*?<\/\1>/gi would, in linear time. That regex tried
 * every opening tag against the rest of the text, so a cell of "<script>" repeated without an end
 * tag took time in the square of its length: a 50 MB upload held the process for hours.
 * An opening tag with no end tag after it means no later one of its name has one either.
 */
function withoutScriptsAndStyles(html: string): string {
  const opening = /<(script|style)\b/gi;
  const unclosed = new Set<string>();
  let result = "";
  let copied = 0;
  for (let match = opening.exec(html); match !== null; match = opening.exec(html)) {
    const name = (match[1] as string).toLowerCase();
    if (unclosed.has(name)) {
      // Both names unclosed: nothing further can match.
      if (unclosed.size === 2) break;
      continue;
    }
    const tagEnd = html.indexOf(">", opening.lastIndex);
    if (tagEnd === -1) break;
    const closing = new RegExp(`</${name}>`, "gi");
    closing.lastIndex = tagEnd + 1;
    const end = closing.exec(html);
    if (end === null) {
      unclosed.add(name);
      continue;
    }
    result += `${html.slice(copied, match.index)} `;
    copied = closing.lastIndex;
    opening.lastIndex = copied;
  }
  return result + html.slice(copied);
}

/**
 * Every tag replaced by a space, as /<[^>]*>/g would, in linear time: past the last ">" no tag
 * can end, and the regex tried each "<" there against the rest of the text.
 */
function withoutTags(html: string): string {
  const end = html.lastIndexOf(">") + 1;
  return html.slice(0, end).replace(/<[^>]*>/g, " ") + html.slice(end);
}

/**
 * What HTML5 makes of &#128; to &#159;: the Windows-1252 characters those bytes stand for, since
 * text pasted from Word writes its curly quotes that way (&#146; for ’). The C1 controls those
 * numbers name in Unicode never belong in a description.
 */
const WINDOWS_1252: Readonly<Record<number, number>> = {
  0x80: 0x20ac, 0x82: 0x201a, 0x83: 0x0192, 0x84: 0x201e, 0x85: 0x2026, 0x86: 0x2020, 0x87: 0x2021,
  0x88: 0x02c6, 0x89: 0x2030, 0x8a: 0x0160, 0x8b: 0x2039, 0x8c: 0x0152, 0x8e: 0x017d, 0x91: 0x2018,
  0x92: 0x2019, 0x93: 0x201c, 0x94: 0x201d, 0x95: 0x2022, 0x96: 0x2013, 0x97: 0x2014, 0x98: 0x02dc,
  0x99: 0x2122, 0x9a: 0x0161, 0x9b: 0x203a, 0x9c: 0x0153, 0x9e: 0x017e, 0x9f: 0x0178,
};

/** A numeric reference as HTML5 reads it: no code point (0, a surrogate, past U+10FFFF) is U+FFFD. */
function fromCodePoint(reference: string): string {
  const hex = reference[1] === "x" || reference[1] === "X";
  // A long run of digits is past U+10FFFF whatever it says: not parsed, so no precision is lost.
  const digits = reference.slice(hex ? 2 : 1).replace(/^0+/, "");
  const code = digits.length > 8 ? Number.POSITIVE_INFINITY : parseInt(digits || "0", hex ? 16 : 10);
  if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return "\ufffd";
  return String.fromCodePoint(WINDOWS_1252[code] ?? code);
}
