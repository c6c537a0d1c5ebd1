import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { getEnv } from "~/env.server";

// Shopify opens the app at its URL with ?shop=...; the demo shop has a single admin to go to.
export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  if (getEnv().mode === "demo" || url.searchParams.get("shop")) {
    throw redirect(`/app${url.search}`);
  }
  throw redirect("/auth/login");
}
