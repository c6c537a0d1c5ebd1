import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveWebhook } from "~/services/webhooks";

// orders/updated: keep the stored order current (post-purchase lines, edits, refunds).
export function action({ request }: ActionFunctionArgs) {
  return receiveWebhook(request, ["orders/updated"]);
}
