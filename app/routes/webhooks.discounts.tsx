import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveWebhook } from "~/services/webhooks";

// discounts/update and discounts/delete: Upshelf's discount switched off or deleted in Shopify's admin.
export function action({ request }: ActionFunctionArgs) {
  return receiveWebhook(request, ["discounts/update", "discounts/delete"]);
}
