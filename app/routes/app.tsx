import type { HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Link, Outlet, useLoaderData, useLocation, useRouteError } from "@remix-run/react";
import { NavMenu } from "@shopify/app-bridge-react";
import { Banner, Frame, Navigation } from "@shopify/polaris";
import { AppProvider } from "@shopify/shopify-app-remix/react";
import { boundary } from "@shopify/shopify-app-remix/server";
import polarisStyles from "@shopify/polaris/build/esm/styles.css?url";
import { ADMIN_PAGES } from "~/components/admin-pages";
import { getEnv } from "~/env.server";
import { authenticateAdmin } from "~/services/admin-auth.server";

export const links = () => [{ rel: "stylesheet", href: polarisStyles }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { mode } = await authenticateAdmin(request);
  const env = getEnv();
  return { mode, apiKey: env.mode === "shopify" ? env.apiKey : "" };
}

export default function AdminLayout() {
  const { mode, apiKey } = useLoaderData<typeof loader>();
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
        <Outlet />
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
        <Outlet />
      </Frame>
    </AppProvider>
  );
}

// Shopify's embedded auth throws responses (redirects, re-auth) that these boundaries must pass on.
export function ErrorBoundary() {
  return boundary.error(useRouteError());
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
