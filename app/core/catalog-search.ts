/**
 * How the admin's product search compares text. Both the stored titles (Product.titleFolded) and
 * the query are lower-cased here, by JavaScript, so a search matches the same products on SQLite
 * (whose lower() and LIKE fold only ASCII letters) and PostgreSQL (whose lower() follows the
 * server's locale), and as it did when the titles were compared in the app: "été" finds "ÉTÉ".
 */
export function foldForSearch(text: string): string {
  return text.toLowerCase();
}
