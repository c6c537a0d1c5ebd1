import { resolveAppUrl } from "../../../app/core/post-purchase/view-model";

/**
 * Where the app runs. Extensions run in Shopify's sandbox with no environment of their own, so the
 * URL is fixed when the extension is built: either write it here, or have the bundler define
 * `process.env.UPSHELF_APP_URL` (see README.md). An unset URL fails closed: ShouldRender answers
 * `render: false` and the buyer goes straight to the thank-you page.
 */
const APP_URL = "";

declare const process: { env: Record<string, string | undefined> };

function fromBuild(): string | undefined {
  try {
    return process.env.UPSHELF_APP_URL;
  } catch {
    // No bundler define and no `process` in the sandbox.
    return undefined;
  }
}

export function appUrl(): string {
  return resolveAppUrl(fromBuild() || APP_URL);
}
