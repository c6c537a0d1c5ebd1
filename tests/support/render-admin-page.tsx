import { AppProvider } from "@shopify/polaris";
import en from "@shopify/polaris/locales/en.json";
import type { ComponentType } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from "react-router-dom/server";

export interface RenderedPage {
  readonly html: string;
  /** The page's words as a merchant reads them: no markup, entities decoded, spaces collapsed. */
  readonly text: string;
}

/**
 * An admin route's page rendered on the server from the data its loader would give, inside
 * Polaris's provider, without a database or a browser. With `answered`, the page as it stands
 * after a submission its action answered that way (`useActionData`).
 */
export async function renderAdminPage(options: {
  readonly path: string;
  readonly url: string;
  readonly data: object;
  readonly Component: ComponentType;
  readonly answered?: unknown;
}): Promise<RenderedPage> {
  const { path, url, data, Component, answered } = options;
  const handler = createStaticHandler([{ id: "page", path, loader: () => data, action: () => answered ?? null, Component }]);
  const request = answered === undefined ? new Request(url) : new Request(url, { method: "POST", body: new URLSearchParams() });
  const context = await handler.query(request);
  if (context instanceof Response) throw new Error("The page answered with a response, not a page.");
  const html = renderToStaticMarkup(
    <AppProvider i18n={en}>
      <StaticRouterProvider router={createStaticRouter(handler.dataRoutes, context)} context={context} hydrate={false} />
    </AppProvider>,
  );
  const text = html
    .replace(/<[^>]+>/g, " ")
    .replace(/&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ");
  return { html, text };
}
