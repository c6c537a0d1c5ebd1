import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveWebhook } from "~/services/webhooks";

// app/uninstalled: stop serving the shop and delete its sessions (app/services/webhooks/handlers.server.ts).
// The shop's data stays until shop/redact, 48 hours later, in case the merchant reinstalls.
export function action({ request }: ActionFunctionArgs) {
  return receiveWebhook(request, ["app/uninstalled"]);
}
