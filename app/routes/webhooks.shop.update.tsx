import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveWebhook } from "~/services/webhooks";

// shop/update: the shop's name, currency and time zone (app/services/webhooks/handlers.server.ts).
export function action({ request }: ActionFunctionArgs) {
  return receiveWebhook(request, ["shop/update"]);
}
