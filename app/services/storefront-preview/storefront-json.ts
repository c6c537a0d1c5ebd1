import { currencyDecimals } from "~/core/money";
import type { PreviewProduct } from "./preview-catalog.server";
import { sellingPlanAllocationsJson, sellingPlanGroupsJson } from "./selling-plans";

/**
 * Shapes of Shopify's storefront Ajax API (`/products/<handle>.js`, `/cart.js`), the subset the
 * widgets and the preview theme read. Shopify's Ajax API states every amount in hundredths of the
 * currency whatever its minor unit, hence `toAjaxAmount`.
 */
export function toAjaxAmount(minor: number, currency: string): number {
  return Math.round(minor * 10 ** (2 - currencyDecimals(currency)));
}

export const PREVIEW_ROOT = "/preview/";

export function productUrl(handle: string): string {
  return `${PREVIEW_ROOT}products/${handle}`;
}

export function productJson(product: PreviewProduct) {
  const prices = product.variants.map((variant) => toAjaxAmount(variant.price, variant.currency));
  const first = product.variants[0];
  const compareAt = first?.compareAtPrice ? toAjaxAmount(first.compareAtPrice, first.currency) : null;
  return {
    id: Number(product.id),
    title: product.title,
    handle: product.handle,
    description: product.description,
    vendor: product.vendor,
    type: product.productType,
    tags: product.tags,
    price: Math.min(...prices),
    price_min: Math.min(...prices),
    price_max: Math.max(...prices),
    available: product.variants.some((variant) => variant.available),
    compare_at_price: compareAt,
    featured_image: product.imageUrl,
    images: product.imageUrl ? [product.imageUrl] : [],
    url: productUrl(product.handle),
    options: [{ name: "Title", position: 1, values: product.variants.map((variant) => variant.title) }],
    requires_selling_plan: false,
    selling_plan_groups: sellingPlanGroupsJson(),
    variants: product.variants.map((variant) => ({
      id: Number(variant.id),
      title: variant.title,
      name: variant.title === "Default Title" ? product.title : `${product.title} - ${variant.title}`,
      option1: variant.title,
      sku: variant.sku,
      price: toAjaxAmount(variant.price, variant.currency),
      compare_at_price: variant.compareAtPrice === null ? null : toAjaxAmount(variant.compareAtPrice, variant.currency),
      available: variant.available,
      featured_image: null,
      requires_selling_plan: false,
      selling_plan_allocations: sellingPlanAllocationsJson(toAjaxAmount(variant.price, variant.currency)),
    })),
  };
}

export type ProductJson = ReturnType<typeof productJson>;
