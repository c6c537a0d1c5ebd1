import type { HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Link, Outlet, useLoaderData, useLocation, useRouteError, useRouteLoaderData, type MetaFunction, type ShouldRevalidateFunction } from "@remix-run/react";
import { NavMenu } from "@shopify/app-bridge-react";
import { Banner, Frame, Navigation } from "@shopify/polaris";
import { useEffect, type ReactNode } from "react";
import { AdminErrorPage, AdminUnreachablePage, adminErrorMessage } from "~/components/admin-error-page";
import { unreachableCause } from "~/components/unreachable";
import { AppProvider } from "@shopify/shopify-app-remix/react";
import { boundary } from "@shopify/shopify-app-remix/server";
import polarisStyles from "@shopify/polaris/build/esm/styles.css?url";
import adminStyles from "~/styles/admin.css?url";
import { ADMIN_PAGES } from "~/components/admin-pages";
import { adminErrorTitleMeta, titleMeta } from "~/components/page-title";
import { getEnv } from "~/env.server";
import { authenticateAdmin } from "~/services/admin-auth.server";

// The admin's own rules come after Polaris's, which they adjust (styles/admin.css says why).
export const links = () => [
  { rel: "stylesheet", href: polarisStyles },
  { rel: "stylesheet", href: adminStyles },
];

// Each admin page names itself (its route's `meta`); a page that failed shows the error page, named here.
export const meta: MetaFunction<typeof loader> = ({ error }) => (error ? adminErrorTitleMeta(error) : titleMeta());

export async function loader({ request }: LoaderFunctionArgs) {
  const { mode } = await authenticateAdmin(request);
  const env = getEnv();
  return { mode, apiKey: env.mode === "shopify" ? env.apiKey : "" };
}

/**
 * A reload of the address on screen that submits nothing (a page refreshing itself while a job
 * runs, Try again) leaves this layout's data as it is: it is the app's, the same for every page,
 * and the page's own loader authenticates the request. Reloading it would cost a request each time
 * and, when that request gets no answer, fail the frame into the error page below while the page
 * itself keeps what it had (docs/decisions/0013, "Loads"). A layout that has no data (a load of it
 * failed) is loaded whatever this says.
 *
 * Nor after an action that failed (4xx/5xx, the made-up 503 of a save that got no answer among
 * them): Remix hands a route's own shouldRevalidate `defaultShouldRevalidate: true` under single
 * fetch whatever the action's status, so the skip a route without one gets is restated here.
 */
export const shouldRevalidate: ShouldRevalidateFunction = ({ currentUrl, nextUrl, formMethod, actionStatus, defaultShouldRevalidate }) => {
  if (actionStatus !== undefined && actionStatus >= 400) return false;
  return formMethod === undefined && currentUrl.href === nextUrl.href ? false : defaultShouldRevalidate;
};

type LayoutData = Awaited<ReturnType<typeof loader>>;

/**
 * The layout's data as last loaded in this browser (set in an effect, so never on the server). A
 * load that gets no answer clears the data of every route it was loading, this layout's included,
 * and the error page still needs the frame; both values are the app's, the same for every page.
 */
let layoutSeen: LayoutData | undefined;

export default function AdminLayout() {
  const layout = useLoaderData<typeof loader>();
  const { mode, apiKey } = layout;
  useEffect(() => {
    layoutSeen = layout;
  }, [layout]);
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
 * the frame, with the way back, rather than as the raw response; so is a page whose data did not
 * arrive from Upshelf (moving between pages while the connection is down), with a way to try
 * again. (A submission that gets no answer never comes here: each page's clientAction keeps the
 * page, docs/decisions/0013.)
 */
export function ErrorBoundary() {
  const error = useRouteError();
  const message = adminErrorMessage(error);
  const unreachable = unreachableCause(error) !== null;
  const layout = useRouteLoaderData<typeof loader>("routes/app") ?? (unreachable ? layoutSeen : undefined);
  if ((!message && !unreachable) || !layout) return boundary.error(error);
  return (
    <AdminFrame mode={layout.mode} apiKey={layout.apiKey}>
      {message ? <AdminErrorPage {...message} /> : <AdminUnreachablePage />}
    </AdminFrame>
  );
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
