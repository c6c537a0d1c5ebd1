import fs from "node:fs/promises";
import path from "node:path";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { assetVersion, EXTENSION_DIR } from "~/services/storefront-preview/theme-engine.server";
import { compressed, requireDemoMode } from "~/services/storefront-preview/storefront.server";

/** /preview/assets/<file>: the extension's assets, served as Shopify's CDN serves them (demo mode only). */
const TYPES: Record<string, string> = {
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
};

export async function loader({ request, params }: LoaderFunctionArgs) {
  requireDemoMode();
  const file = params.file ?? "";
  const type = TYPES[path.extname(file)];
  if (!/^[a-z0-9][a-z0-9._-]*$/i.test(file) || !type) return new Response("Not Found", { status: 404 });
  let body: Buffer;
  try {
    body = await fs.readFile(path.join(EXTENSION_DIR, "assets", file));
  } catch {
    return new Response("Not Found", { status: 404 });
  }
  // A versioned URL never changes content, so browsers may keep it; anything else is revalidated.
  const versioned = new URL(request.url).searchParams.get("v") === assetVersion(file);
  return compressed(request, body, type, null, versioned ? "public, max-age=31536000, immutable" : "no-cache");
}
