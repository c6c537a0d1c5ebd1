/**
 * How the admin's product search compares text. Both the stored titles (Product.titleFolded) and
 * the query are lower-cased here, by JavaScript, so a search matches the same products on SQLite
 * (whose lower() and LIKE fold only ASCII letters) and PostgreSQL (whose lower() follows the
 * server's locale), and as it did when the titles were compared in the app: "été" finds "ÉTÉ".
 */
export function foldForSearch(text: string): string {
  return text.toLowerCase();
}

/**
 * The longest product search the admin's pickers send and its search endpoints read. The pickers
 * cap their field at it; a longer query (typed around them) is read as its first characters, not
 * refused: a picker loads its results with a fetcher, and a refusal would replace the whole page,
 * and the offer or rule being filled in, with the error page.
 */
export const MAX_SEARCH_LENGTH = 200;

/** A search query cut to MAX_SEARCH_LENGTH characters (whole characters: an emoji is not split). */
export function clampSearch(query: string): string {
  const characters = Array.from(query);
  return characters.length <= MAX_SEARCH_LENGTH ? query : characters.slice(0, MAX_SEARCH_LENGTH).join("");
}
