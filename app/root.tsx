import { Links, Meta, Outlet, Scripts, ScrollRestoration } from "@remix-run/react";
import { titleMeta } from "~/components/page-title";

// "Upshelf" for a page without a title of its own; each page's route exports its own `meta`.
export const meta = () => titleMeta();

export const links = () => [{ rel: "icon", href: "/favicon.svg", type: "image/svg+xml" }];

export default function App() {
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width,initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        <Outlet />
        <ScrollRestoration />
        <Scripts />
      </body>
    </html>
  );
}
