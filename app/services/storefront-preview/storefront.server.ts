import { promisify } from "node:util";
import zlib from "node:zlib";
import { getEnv, type DemoEnv } from "~/env.server";
import { findShop } from "~/models/shop.server";
import { storefrontExperimentForShop, storefrontWidgetDefaultsForShop, storefrontIndexForShop } from "~/services/storefront-index-sync.server";
import { cartSession, readCart, readCartAttributes, type CartSession } from "./cart-store.server";
import { cartJson, priceCartLines, type CartJson } from "./preview-cart.server";
import type { PreviewProduct } from "./preview-catalog.server";
import { productJson, PREVIEW_ROOT } from "./storefront-json";
import { availableLocales, renderPage, renderSections, type RenderPageOptions } from "./theme-engine.server";

/**
 * What every preview storefront route shares: demo mode only (404 otherwise), the buyer's cart
 * from its cookie, the Liquid global objects, and compressed HTML as Shopify's CDN serves it.
 */
export function requireDemoMode(): DemoEnv {
  const env = getEnv();
  if (env.mode !== "demo") throw new Response("Not Found", { status: 404 });
  return env;
}

export interface StorefrontContext {
  env: DemoEnv;
  shopId: string;
  shopName: string;
  currency: string;
  locale: string;
  blocks: boolean;
  /** Liquid's request.design_mode: the page as the theme editor renders it (its notes on each block). */
  designMode: boolean;
  session: CartSession;
}

export async function storefrontContext(request: Request): Promise<StorefrontContext> {
  const env = requireDemoMode();
  const shop = await findShop(env.demoShop);
  if (!shop) throw new Response("The demo shop is not seeded yet.", { status: 503 });
  const url = new URL(request.url);
  const asked = url.searchParams.get("locale") ?? "";
  return {
    env,
    shopId: shop.id,
    shopName: shop.name,
    currency: shop.currency,
    locale: availableLocales().includes(asked) ? asked : "en",
    // ?upshelf=off renders the page as if the app were not installed (the benchmark's baseline).
    blocks: url.searchParams.get("upshelf") !== "off",
    // ?design_mode=1 renders the page as the theme editor does (request.design_mode).
    designMode: url.searchParams.get("design_mode") === "1",
    session: cartSession(request),
  };
}

export async function currentCart(context: StorefrontContext): Promise<CartJson> {
  const priced = await priceCartLines(context.shopId, context.currency, readCart(context.session.token));
  return cartJson(priced, context.session.token, readCartAttributes(context.session.token));
}

/**
 * Shopify's `app` object: the app-data metafields the blocks read to know which products have an
 * offer to show, which holdout test runs and the Settings page's widget defaults. Computed from
 * the database on every render, as the sync writes them to Shopify after every change (the
 * recorded calls are not read back).
 */
async function appObject(context: StorefrontContext) {
  const [storefront, experiment, widgets] = await Promise.all([
    storefrontIndexForShop(context.shopId),
    storefrontExperimentForShop(context.shopId),
    storefrontWidgetDefaultsForShop(context.shopId),
  ]);
  return { metafields: { upshelf: { storefront: { value: storefront }, experiment: { value: experiment }, widgets: { value: widgets } } } };
}

async function liquidObjects(context: StorefrontContext, cart: CartJson, extra: Record<string, unknown>) {
  const root = PREVIEW_ROOT.replace(/\/$/, "");
  return {
    app: await appObject(context),
    shop: { name: context.shopName, currency: context.currency, permanent_domain: context.shopId },
    request: { locale: { iso_code: context.locale }, host: "localhost", design_mode: context.designMode },
    routes: {
      root_url: root,
      cart_url: `${root}/cart`,
      cart_add_url: `${root}/cart/add`,
      cart_change_url: `${root}/cart/change`,
    },
    cart: { ...cart, currency: { iso_code: cart.currency } },
    ...extra,
  };
}

export function liquidProduct(product: PreviewProduct) {
  const json = productJson(product);
  const variant = json.variants.find((candidate) => candidate.available) ?? json.variants[0];
  // Liquid sees ids as text, as the variant picker compares them.
  const variants = json.variants.map((candidate) => ({ ...candidate, id: String(candidate.id) }));
  return { ...json, id: product.id, variants, selected_or_first_available_variant: variant && { ...variant, id: String(variant.id) } };
}

function renderState(context: StorefrontContext, cart: CartJson): RenderPageOptions["state"] {
  return { locale: context.locale, blocks: context.blocks, currency: cart.currency };
}

export async function storefrontPage(
  request: Request,
  context: StorefrontContext,
  page: { template: RenderPageOptions["template"]; title: string; objects?: Record<string, unknown> },
): Promise<Response> {
  const cart = await currentCart(context);
  const html = await renderPage({
    template: page.template,
    title: page.title,
    state: renderState(context, cart),
    objects: await liquidObjects(context, cart, page.objects ?? {}),
  });
  return compressed(request, html, "text/html; charset=utf-8", context.session.setCookie);
}

export async function sectionsFor(context: StorefrontContext, cart: CartJson, requested: readonly string[]) {
  return renderSections(requested, { state: renderState(context, cart), objects: await liquidObjects(context, cart, {}) });
}

/**
 * Shopify's Section Rendering API on a page's URL (`?section_id=<id>`, as Dawn's cart drawer
 * fetches `/cart?section_id=cart-drawer`): that section's HTML in its wrapper, or 404.
 */
export async function storefrontSection(request: Request, context: StorefrontContext, id: string): Promise<Response> {
  const html = (await sectionsFor(context, await currentCart(context), [id]))[id];
  if (html === null || html === undefined) return new Response("No such section", { status: 404, headers: { "Cache-Control": "no-store" } });
  return compressed(request, html, "text/html; charset=utf-8", context.session.setCookie);
}

const gzip = promisify(zlib.gzip);

export async function compressed(request: Request, body: string | Buffer, contentType: string, setCookie: string | null, cacheControl = "no-store"): Promise<Response> {
  const headers = new Headers({ "Content-Type": contentType, "Cache-Control": cacheControl, Vary: "Accept-Encoding" });
  if (setCookie) headers.set("Set-Cookie", setCookie);
  if (!/\bgzip\b/.test(request.headers.get("Accept-Encoding") ?? "")) return new Response(body, { headers });
  headers.set("Content-Encoding", "gzip");
  return new Response(await gzip(body), { headers });
}

export function json(data: unknown, context: StorefrontContext, init: { status?: number } = {}): Response {
  const headers = new Headers({ "Cache-Control": "no-store" });
  if (context.session.setCookie) headers.set("Set-Cookie", context.session.setCookie);
  return Response.json(data, { status: init.status ?? 200, headers });
}
