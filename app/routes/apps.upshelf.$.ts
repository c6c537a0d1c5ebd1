import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { forwardToAppProxy } from "~/services/storefront-preview/app-proxy-forward.server";

/**
 * /apps/upshelf/*: the demo shop's app proxy (demo mode only; 404 otherwise). On a real shop this
 * path belongs to Shopify, which forwards it to /proxy/* signed; here the app does the same.
 */
export function loader({ request, params }: LoaderFunctionArgs) {
  return forwardToAppProxy(request, params["*"] ?? "");
}

export function action({ request, params }: ActionFunctionArgs) {
  return forwardToAppProxy(request, params["*"] ?? "");
}
