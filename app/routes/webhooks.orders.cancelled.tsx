import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveWebhook } from "~/services/webhooks";

// orders/cancelled: mark the stored order cancelled, so sales figures and the model leave it out.
export function action({ request }: ActionFunctionArgs) {
  return receiveWebhook(request, ["orders/cancelled"]);
}
