import { addToLines, CartError, changeLine } from "./cart-lines";
import { parseAddRequest, parseChangeRequest, parseUpdateRequest, readBody, RequestError } from "./cart-request";
import { readCart, readCartAttributes, writeCart } from "./cart-store.server";
import { offersSellingPlan } from "./selling-plans";
import { findPreviewVariants } from "./preview-catalog.server";
import { currentCart, json, sectionsFor, storefrontContext, type StorefrontContext } from "./storefront.server";
import { PREVIEW_ROOT } from "./storefront-json";

/**
 * `/cart/add(.js)`, `/cart/change(.js)` and `/cart/update.js` (attributes) of the preview storefront. The `.js` endpoints answer as
 * Shopify's Ajax Cart API does (errors as `{ status, message, description }`); the plain form
 * endpoints, which a theme's no-JavaScript forms post to, redirect to the cart page.
 */
type Answer = "json" | "form";

function cartError(context: StorefrontContext, status: number, description: string, answer: Answer = "json"): Response {
  if (answer === "form") return errorPage(context, status, description);
  return json({ status, message: "Cart Error", description }, context, { status });
}

const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/**
 * A form the buyer posted without JavaScript gets a page, not JSON: Shopify answers such a post it
 * cannot take with its own short "Oops!" page naming the problem (as reported in
 * Shopify/starter-theme#171), with the error's status.
 */
function errorPage(context: StorefrontContext, status: number, description: string): Response {
  const text = description.replace(/[&<>"']/g, (character) => HTML_ESCAPES[character] ?? character);
  const html =
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<title>Oops!</title></head><body><main><h1>Oops!</h1><p>${text}</p>` +
    `<p><a href="${PREVIEW_ROOT}cart">Go to the cart</a> · <a href="javascript:history.back()">Go back</a></p></main></body></html>`;
  const headers = new Headers({ "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" });
  if (context.session.setCookie) headers.set("Set-Cookie", context.session.setCookie);
  return new Response(html, { status, headers });
}

function redirectToCart(context: StorefrontContext): Response {
  const headers = new Headers({ Location: `${PREVIEW_ROOT}cart` });
  if (context.session.setCookie) headers.set("Set-Cookie", context.session.setCookie);
  return new Response(null, { status: 303, headers });
}

async function guarded(context: StorefrontContext, answer: Answer, run: () => Promise<Response>): Promise<Response> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof RequestError) return cartError(context, 400, error.message, answer);
    if (error instanceof CartError) return cartError(context, error.status, error.message, answer);
    throw error;
  }
}

export async function addToCart(request: Request, answer: Answer): Promise<Response> {
  const context = await storefrontContext(request);
  if (request.method !== "POST") return cartError(context, 405, "Add to the cart with POST.", answer);
  return guarded(context, answer, async () => {
    const add = parseAddRequest(await readBody(request));
    const known = await findPreviewVariants(context.shopId, add.items.map((item) => item.variantId));
    for (const item of add.items) {
      const variant = known.get(item.variantId)?.variants.find((candidate) => candidate.id === item.variantId);
      if (!variant) return cartError(context, 422, `Cannot find variant ${item.variantId}.`, answer);
      if (!variant.available) return cartError(context, 422, `${known.get(item.variantId)?.title ?? "This item"} is sold out.`, answer);
      // (Shopify's words for a plan the variant is not sold with, as its change.js gives them.)
      if (item.sellingPlanId && !offersSellingPlan(item.sellingPlanId)) return cartError(context, 422, "Cannot apply selling plan to variant", answer);
    }
    const { lines, touched } = addToLines(readCart(context.session.token), add.items);
    writeCart(context.session.token, lines);
    if (answer === "form") return redirectToCart(context);
    const cart = await currentCart(context);
    const items = touched.flatMap((line) => cart.items.find((item) => item.key === line.key) ?? []);
    const body: Record<string, unknown> = add.single && items[0] ? { ...items[0] } : { items };
    if (add.sections) body.sections = await sectionsFor(context, cart, add.sections);
    return json(body, context);
  });
}

export async function changeCart(request: Request, answer: Answer): Promise<Response> {
  const context = await storefrontContext(request);
  if (request.method !== "POST") return cartError(context, 405, "Change the cart with POST.", answer);
  return guarded(context, answer, async () => {
    const change = parseChangeRequest(await readBody(request));
    writeCart(context.session.token, changeLine(readCart(context.session.token), change));
    if (answer === "form") return redirectToCart(context);
    const cart = await currentCart(context);
    const body: Record<string, unknown> = { ...cart };
    if (change.sections) body.sections = await sectionsFor(context, cart, change.sections);
    return json(body, context);
  });
}

export async function updateCart(request: Request): Promise<Response> {
  const context = await storefrontContext(request);
  if (request.method !== "POST") return cartError(context, 405, "Update the cart with POST.");
  return guarded(context, "json", async () => {
    const update = parseUpdateRequest(await readBody(request));
    const attributes = { ...readCartAttributes(context.session.token), ...update.attributes };
    for (const [name, value] of Object.entries(attributes)) if (value === "") delete attributes[name];
    writeCart(context.session.token, readCart(context.session.token), attributes);
    const cart = await currentCart(context);
    const body: Record<string, unknown> = { ...cart };
    if (update.sections) body.sections = await sectionsFor(context, cart, update.sections);
    return json(body, context);
  });
}
