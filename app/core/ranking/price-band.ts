/**
 * Price bands on a geometric scale: each band spans prices within a factor of `ratio`
 * (default 1.5), so 4.00 and 5.50 share a band while 4.00 and 12.00 do not, whatever the
 * currency or the shop's price level. Undefined when the price is unknown or not positive.
 */
export function priceBand(price: number | undefined, ratio = 1.5): number | undefined {
  if (price === undefined || !(price > 0)) return undefined;
  return Math.floor(Math.log(price) / Math.log(ratio));
}
