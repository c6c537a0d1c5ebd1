/**
 * Every admin page names itself in the document title (the tab, history and a screen reader's
 * first words): "<page> · Upshelf". axe's "document-title" rule failed on every page before.
 */
import fs from "node:fs";
import path from "node:path";
import type { MetaDescriptor } from "@remix-run/react";
import { describe, expect, it } from "vitest";

type MetaArgs = { data?: unknown; error?: unknown; params?: Record<string, string> };
type RouteModule = { default?: unknown; meta?: (args: MetaArgs) => MetaDescriptor[] };

const routesDir = import.meta.dirname;

async function routeModule(file: string): Promise<RouteModule> {
  return (await import(/* @vite-ignore */ path.join(routesDir, file))) as RouteModule;
}

function titleOf(module: RouteModule, args: MetaArgs = {}): string | undefined {
  const descriptors = module.meta?.({ params: {}, ...args }) ?? [];
  const found = descriptors.find((descriptor): descriptor is { title: string } => "title" in descriptor);
  return found?.title;
}

/** What Remix hands `meta` and the error boundary for a response a loader threw. */
const routeError = (status: number, data: unknown) => ({ status, statusText: "", internal: false, data });

/** A form page's loader data, as far as its title reads it. */
const offerData = (title: string) => ({ offerId: "7", draft: { title } });

const PAGES: ReadonlyArray<readonly [file: string, title: string, args?: MetaArgs]> = [
  ["app._index.tsx", "Dashboard · Upshelf"],
  ["app.bundles._index.tsx", "Bundles · Upshelf"],
  ["app.bundles.new.tsx", "Create bundle · Upshelf"],
  ["app.bundles.$id.tsx", "Edit bundle: Summer set · Upshelf", { data: offerData("Summer set"), params: { id: "7" } }],
  ["app.bundles.$id.tsx", "Edit bundle · Upshelf", { data: offerData(" "), params: { id: "7" } }],
  ["app.tiers._index.tsx", "Tiered discounts · Upshelf"],
  ["app.tiers.new.tsx", "Create tiered discount · Upshelf"],
  ["app.tiers.$id.tsx", "Edit tiered discount: Buy more, save more · Upshelf", { data: offerData("Buy more, save more") }],
  ["app.ladders._index.tsx", "Upgrade ladders · Upshelf"],
  ["app.ladders.new.tsx", "Create upgrade ladder · Upshelf"],
  ["app.ladders.$id.tsx", "Edit upgrade ladder: Good, better, best · Upshelf", { data: offerData("Good, better, best") }],
  ["app.recommendations.tsx", "Recommendations · Upshelf"],
  ["app.holdout.tsx", "Holdout test · Upshelf"],
  ["app.import.tsx", "Import · Upshelf"],
  ["app.import_.$jobId.tsx", "Products import: products_export.csv · Upshelf", { data: { kind: "products", fileName: "products_export.csv" } }],
  ["app.import_.$jobId.tsx", "Orders import · Upshelf", { data: { kind: "orders", fileName: null } }],
  ["app.sync.tsx", "Shopify data · Upshelf"],
  ["app.settings.tsx", "Settings · Upshelf"],
  ["auth.login/route.tsx", "Log in · Upshelf"],
];

describe("document titles", () => {
  it.each(PAGES.map(([file, title, args]) => ({ file, title, args })))("$file is titled $title", async ({ file, title, args }) => {
    expect(titleOf(await routeModule(file), args)).toBe(title);
  });

  it("leaves no page without a title: every route that renders a page exports meta", async () => {
    const files = fs
      .readdirSync(routesDir, { withFileTypes: true })
      .flatMap((entry) => (entry.isDirectory() ? [`${entry.name}/route.tsx`] : [entry.name]))
      .filter((file) => file.endsWith(".tsx") && fs.existsSync(path.join(routesDir, file)));
    const untitled: string[] = [];
    for (const file of files) {
      const module = await routeModule(file);
      // The layout wraps the pages, which name themselves; app.$ renders nothing: its loader
      // always fails, and the layout names the error page.
      if (!module.default || file === "app.tsx" || file === "app.$.tsx") continue;
      const data = { ...offerData("An offer"), kind: "products", fileName: "export.csv" };
      if (!titleOf(module, { data })?.endsWith(" · Upshelf")) untitled.push(file);
    }
    expect(untitled).toEqual([]);
  });

  it("names the admin's error page after the error; without one, the layout's title is Upshelf", async () => {
    const layout = await routeModule("app.tsx");
    expect(titleOf(layout)).toBe("Upshelf");
    expect(titleOf(layout, { error: routeError(404, { error: "not_found", message: "No such offer in this shop." }) })).toBe("Not found · Upshelf");
    expect(titleOf(layout, { error: routeError(400, { error: "bad_request", message: "Choose a product." }) })).toBe("This did not work · Upshelf");
    // Shopify's own responses and crashes are not the app's error page.
    expect(titleOf(layout, { error: new Error("crash") })).toBe("Upshelf");
  });
});
