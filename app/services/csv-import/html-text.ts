const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " };

/**
 * Product descriptions arrive as HTML ("Body (HTML)"); the catalog keeps plain text, as the
 * Admin API's `description` field does, so the ranking's text similarity sees words, not tags.
 */
export function htmlToText(html: string): string {
  return html
    .replace(/<(script|style)\b[^>]*>[\s\S]*?<\/\1>/gi, " ")
    .replace(/<br\s*\/?>|<\/(p|div|li|h[1-6])>/gi, "\n")
    .replace(/<[^>]*>/g, " ")
    .replace(/&(#\d+|#x[0-9a-f]+|[a-z]+);/gi, (entity, name: string) => {
      if (name.startsWith("#")) return fromCodePoint(name, entity);
      return ENTITIES[name.toLowerCase()] ?? entity;
    })
    .replace(/[ \t\f\v\r]+/g, " ")
    .replace(/ *\n[\n ]*/g, "\n")
    .trim();
}

function fromCodePoint(reference: string, entity: string): string {
  const hex = reference[1] === "x" || reference[1] === "X";
  const code = hex ? parseInt(reference.slice(2), 16) : Number(reference.slice(1));
  return Number.isInteger(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : entity;
}
