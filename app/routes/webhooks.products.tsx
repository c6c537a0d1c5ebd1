import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveWebhook } from "~/services/webhooks";

// products/create, products/update (with each variant's inventory) and products/delete.
export function action({ request }: ActionFunctionArgs) {
  return receiveWebhook(request, ["products/create", "products/update", "products/delete"]);
}
