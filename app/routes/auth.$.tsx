import type { LoaderFunctionArgs } from "@remix-run/node";
import { shopify } from "~/shopify.server";

// OAuth and token-exchange callbacks, handled entirely by shopify-app-remix.
export async function loader({ request }: LoaderFunctionArgs) {
  await shopify().authenticate.admin(request);
  return null;
}
