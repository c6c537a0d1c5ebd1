import type { HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Link, Outlet, useLoaderData, useLocation, useRouteError, useRouteLoaderData, type MetaFunction } from "@remix-run/react";
import { NavMenu } from "@shopify/app-bridge-react";
import { Banner, Frame, Navigation } from "@shopify/polaris";
import type { ReactNode } from "react";
import { AdminErrorPage, adminErrorMessage } from "~/components/admin-error-page";
import { AppProvider } from "@shopify/shopify-app-remix/react";
import { boundary } from "@shopify/shopify-app-remix/server";
import polarisStyles from "@shopify/polaris/build/esm/styles.css?url";
import { ADMIN_PAGES } from "~/components/admin-pages";
import { adminErrorTitleMeta, titleMeta } from "~/components/page-title";
import { getEnv } from "~/env.server";
import { authenticateAdmin } from "~/services/admin-auth.server";

export const links = () => [{ rel: "stylesheet", href: polarisStyles }];

// Each admin page names itself (its route's `meta`); a page that failed shows the error page, named here.
export const meta: MetaFunction<typeof loader> = ({ error }) => (error ? adminErrorTitleMeta(error) : titleMeta());

export async function loader({ request }: LoaderFunctionArgs) {
  const { mode } = await authenticateAdmin(request);
  const env = getEnv();
  return { mode, apiKey: env.mode === "shopify" ? env.apiKey : "" };
}

export default function AdminLayout() {
  const { mode, apiKey } = useLoaderData<typeof loader>();
  return (
    <AdminFrame mode={mode} apiKey={apiKey}>
      <Outlet />
    </AdminFrame>
  );
}

function AdminFrame({ mode, apiKey, children }: { mode: "shopify" | "demo"; apiKey: string; children: ReactNode }) {
  const location = useLocation();

  if (mode === "shopify") {
    // Embedded in Shopify's admin: navigation lives in the admin's sidebar via App Bridge.
    return (
      <AppProvider isEmbeddedApp apiKey={apiKey}>
        <NavMenu>
          {ADMIN_PAGES.map((page) => (
            <Link key={page.url} to={page.url} rel={page.url === "/app" ? "home" : undefined}>
              {page.label}
            </Link>
          ))}
        </NavMenu>
        {children}
      </AppProvider>
    );
  }

  // Demo mode: the same pages, framed like the admin with Polaris' own navigation.
  return (
    <AppProvider isEmbeddedApp={false} apiKey="">
      <Frame
        navigation={
          <Navigation location={location.pathname}>
            <Navigation.Section
              title="Upshelf"
              items={ADMIN_PAGES.map((page) => ({
                url: page.url,
                label: page.label,
                exactMatch: page.url === "/app",
                selected: page.url === "/app" ? location.pathname === "/app" : location.pathname.startsWith(page.url),
              }))}
            />
          </Navigation>
        }
      >
        <Banner tone="info" title="Demo shop">
          You are looking at a local demo shop: no Shopify store is connected. Its catalog and orders are derived
          from the UCI Online Retail dataset (Chen, 2015; CC BY 4.0).
        </Banner>
        {children}
      </Frame>
    </AppProvider>
  );
}

/**
 * Shopify's embedded auth throws responses (redirects, re-auth) that this boundary must pass on.
 * Our own errors (a page's "no such offer", an unknown address) are shown as an admin page inside
 * the frame, with the way back, rather than as the raw response.
 */
export function ErrorBoundary() {
  const error = useRouteError();
  const layout = useRouteLoaderData<typeof loader>("routes/app");
  const message = adminErrorMessage(error);
  if (!message || !layout) return boundary.error(error);
  return (
    <AdminFrame mode={layout.mode} apiKey={layout.apiKey}>
      <AdminErrorPage {...message} />
    </AdminFrame>
  );
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
