import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { Liquid, Tag, type Context, type Emitter, type TagToken, type TopLevelToken } from "liquidjs";
import { PROJECT_ROOT } from "~/project-root.server";
import { readBlockSchema, settingDefaults, type BlockSchema } from "./block-schema";
import { localeOfFile, translate, type LocaleFile, type Locales } from "./translations";

/**
 * Renders the preview storefront with liquidjs: a minimal theme (./theme) plus the real blocks,
 * snippets and locales of extensions/upshelf-widgets, read from disk on every render so edits show
 * at once. Implements the Liquid the blocks use: the global objects the routes pass in, `block`
 * with its schema defaults, and the filters `t`, `asset_url`, `money` and `image_url`.
 */
export const EXTENSION_DIR = path.join(PROJECT_ROOT, "extensions", "upshelf-widgets");
const THEME_DIR = path.join(PROJECT_ROOT, "app", "services", "storefront-preview", "theme");
export const ASSET_PATH = "/preview/assets/";

export interface PreviewState {
  locale: string;
  /** False renders the page without any Upshelf block or embed (the benchmark's baseline). */
  blocks: boolean;
  /** Assets the rendered blocks asked for in their schema, for the page head. */
  assets: Set<string>;
  currency: string;
}

function loadLocales(): Locales {
  const dir = path.join(EXTENSION_DIR, "locales");
  const files = new Map<string, LocaleFile>();
  let defaultLocale = "en";
  for (const name of fs.readdirSync(dir)) {
    const locale = localeOfFile(name);
    if (!locale) continue;
    files.set(locale.locale, JSON.parse(fs.readFileSync(path.join(dir, name), "utf8")) as LocaleFile);
    if (locale.isDefault) defaultLocale = locale.locale;
  }
  return { defaultLocale, files };
}

export function availableLocales(): string[] {
  return [...loadLocales().files.keys()];
}

export function readBlock(name: string): BlockSchema {
  const file = path.join(EXTENSION_DIR, "blocks", `${name}.liquid`);
  return readBlockSchema(fs.readFileSync(file, "utf8"), file);
}

export function assetVersion(name: string): string {
  return createHash("sha256").update(fs.readFileSync(path.join(EXTENSION_DIR, "assets", name))).digest("hex").slice(0, 10);
}

function stateOf(ctx: Context): PreviewState {
  return (ctx.globals as { preview: PreviewState }).preview;
}

function quotedName(token: TagToken, tag: string): string {
  const name = token.args.trim().replace(/^(['"])(.*)\1$/, "$2");
  if (!/^[a-z0-9-]+$/.test(name)) throw new Error(`{% ${tag} %} needs a quoted name of letters, digits and dashes, got ${token.args}`);
  return name;
}

/** `{% schema %}…{% endschema %}`: read by the editor, renders nothing. */
class SchemaTag extends Tag {
  constructor(token: TagToken, remainTokens: TopLevelToken[], liquid: Liquid) {
    super(token, remainTokens, liquid);
    while (remainTokens.length > 0) {
      const next = remainTokens.shift() as TopLevelToken & { name?: string };
      if (next.name === "endschema") return;
    }
    throw new Error("{% schema %} is not closed");
  }
  render(): void {}
}

/** `{% section 'name' %}`: theme/sections/name.liquid inside Shopify's section wrapper. */
class SectionTag extends Tag {
  private readonly section: string;
  constructor(token: TagToken, remainTokens: TopLevelToken[], liquid: Liquid) {
    super(token, remainTokens, liquid);
    this.section = quotedName(token, "section");
  }
  *render(ctx: Context, emitter: Emitter): Generator<unknown, void, unknown> {
    const html = (yield this.liquid.renderFile(`sections/${this.section}`, ctx)) as string;
    emitter.write(`<div id="shopify-section-${this.section}" class="shopify-section">${html}</div>`);
  }
}

/**
 * `{% app_block 'name' %}`: where a merchant placed an Upshelf app block. Renders the extension's
 * blocks/name.liquid with `block.settings` at its schema defaults, as a newly added block has.
 */
class AppBlockTag extends Tag {
  private readonly block: string;
  constructor(token: TagToken, remainTokens: TopLevelToken[], liquid: Liquid) {
    super(token, remainTokens, liquid);
    this.block = quotedName(token, "app_block");
  }
  *render(ctx: Context, emitter: Emitter): Generator<unknown, void, unknown> {
    const state = stateOf(ctx);
    if (!state.blocks) return;
    const schema = readBlock(this.block);
    for (const asset of [schema.stylesheet, schema.javascript]) if (asset) state.assets.add(asset);
    ctx.push({ block: { id: this.block.replace(/-/g, "_"), type: `upshelf/${this.block}`, settings: settingDefaults(schema), shopify_attributes: "" } });
    try {
      emitter.write((yield this.liquid.renderFile(`blocks/${this.block}`, ctx)) as string);
    } finally {
      ctx.pop();
    }
  }
}

function namedArguments(args: unknown[]): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const arg of args) if (Array.isArray(arg) && arg.length === 2 && typeof arg[0] === "string") values[arg[0]] = arg[1];
  return values;
}

function createEngine(): Liquid {
  const engine = new Liquid({
    root: [THEME_DIR, EXTENSION_DIR],
    partials: [path.join(EXTENSION_DIR, "snippets"), path.join(THEME_DIR, "snippets")],
    extname: ".liquid",
    cache: false,
    strictFilters: true,
    jsTruthy: false,
  });
  engine.registerTag("schema", SchemaTag);
  engine.registerTag("section", SectionTag);
  engine.registerTag("app_block", AppBlockTag);
  const locales = loadLocales();
  engine.registerFilter("t", function (this: { context: Context }, key: unknown, ...args: unknown[]) {
    return translate(locales, stateOf(this.context).locale, String(key), namedArguments(args));
  });
  engine.registerFilter("asset_url", (name: unknown) => `${ASSET_PATH}${String(name)}?v=${assetVersion(String(name))}`);
  engine.registerFilter("money", function (this: { context: Context }, cents: unknown) {
    const state = stateOf(this.context);
    const amount = Number(cents);
    if (!Number.isFinite(amount)) return "";
    return new Intl.NumberFormat(state.locale, { style: "currency", currency: state.currency }).format(amount / 100);
  });
  engine.registerFilter("image_url", (src: unknown, ...args: unknown[]) => {
    const width = namedArguments(args).width;
    const url = String(src ?? "");
    return width ? `${url}${url.includes("?") ? "&" : "?"}width=${String(width)}` : url;
  });
  return engine;
}

let engine: Liquid | null = null;
function liquid(): Liquid {
  engine ??= createEngine();
  return engine;
}

export interface RenderPageOptions {
  template: "index" | "product" | "cart";
  title: string;
  state: Omit<PreviewState, "assets">;
  /** Shopify's global objects for this page: product, cart, routes, request, shop... */
  objects: Record<string, unknown>;
}

function headTags(assets: Set<string>): string {
  const tags: string[] = [];
  for (const asset of assets) {
    const url = `${ASSET_PATH}${asset}?v=${assetVersion(asset)}`;
    if (asset.endsWith(".css")) tags.push(`<link rel="stylesheet" href="${url}">`);
    // Shopify loads an extension's javascript with defer: it never blocks the parser.
    else if (asset.endsWith(".js")) tags.push(`<script src="${url}" defer></script>`);
  }
  return tags.join("\n");
}

/** A full page: the template, app embeds before </body>, and the blocks' assets in the head. */
export async function renderPage(options: RenderPageOptions): Promise<string> {
  const state: PreviewState = { ...options.state, assets: new Set() };
  const globals = { ...options.objects, preview: state };
  const engine = liquid();
  const content = (await engine.renderFile(`templates/${options.template}`, {}, { globals })) as string;
  let embeds = "";
  if (state.blocks) {
    const schema = readBlock("upshelf-embed");
    for (const asset of [schema.stylesheet, schema.javascript]) if (asset) state.assets.add(asset);
    embeds = (await engine.parseAndRender(`{% app_block 'upshelf-embed' %}`, {}, { globals })) as string;
  }
  return (await engine.renderFile(
    "layout/theme",
    { content_for_layout: content, content_for_header: headTags(state.assets), app_embeds: embeds, page_title: options.title },
    { globals },
  )) as string;
}

export function sectionNames(): string[] {
  return fs
    .readdirSync(path.join(THEME_DIR, "sections"))
    .filter((name) => name.endsWith(".liquid"))
    .map((name) => name.slice(0, -".liquid".length));
}

/** The Ajax API's `sections` parameter: each known section rendered with the new state, else null. */
export async function renderSections(ids: readonly string[], options: Omit<RenderPageOptions, "template" | "title">): Promise<Record<string, string | null>> {
  const known = new Set(sectionNames());
  const state: PreviewState = { ...options.state, assets: new Set() };
  const globals = { ...options.objects, preview: state };
  const rendered: Record<string, string | null> = {};
  for (const id of ids.slice(0, 5)) {
    rendered[id] = known.has(id) ? ((await liquid().parseAndRender(`{% section '${id}' %}`, {}, { globals })) as string) : null;
  }
  return rendered;
}
