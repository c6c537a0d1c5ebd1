import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveWebhook } from "~/services/webhooks";

// orders/create: store the order with its `_upshelf_*` attribution and teach the serving model.
export function action({ request }: ActionFunctionArgs) {
  return receiveWebhook(request, ["orders/create"]);
}
