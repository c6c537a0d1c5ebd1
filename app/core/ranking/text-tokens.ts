// Words that say nothing about what a product is. Kept short: TF-IDF already discounts common words.
const STOPWORDS = new Set([
  "a",
  "an",
  "and",
  "at",
  "by",
  "for",
  "from",
  "in",
  "into",
  "is",
  "it",
  "of",
  "on",
  "or",
  "the",
  "to",
  "with",
  "set",
  "pack",
]);

/**
 * Lower-cased, accent-folded word tokens of product text: letters and digits, at least two characters,
 * stopwords removed, a trailing plural "s" folded ("mugs" ~ "mug") so titles written in either
 * number still match. Not a stemmer; just enough to make catalog titles comparable.
 */
export function textTokens(text: string): string[] {
  const tokens: string[] = [];
  for (const raw of text
    .toLowerCase()
    .normalize("NFKD")
    // NFKD writes "é" as "e" and a combining accent, which is not a letter: dropped, "crème" is the
    // word "creme"; kept, it split the word into the junk "cre" and "me". Only the diacritics of
    // Latin, Greek and Cyrillic letters: in scripts such as Devanagari or Thai the marks are vowels,
    // part of the word, so marks otherwise stay in it.
    .replace(/[\u0300-\u036f]+/g, "")
    .split(/[^\p{L}\p{M}\p{N}]+/u)) {
    if (raw.length < 2 || STOPWORDS.has(raw) || /^\d+$/.test(raw)) continue;
    tokens.push(raw.length > 3 && raw.endsWith("s") && !raw.endsWith("ss") ? raw.slice(0, -1) : raw);
  }
  return tokens;
}

/** A normalised facet value ("Mugs " and "mugs" are one product type). */
export function facetKey(value: string | undefined): string | undefined {
  const key = value?.trim().toLowerCase();
  return key ? key : undefined;
}
