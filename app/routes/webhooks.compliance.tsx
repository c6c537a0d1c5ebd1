import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveWebhook } from "~/services/webhooks";

// The three mandatory privacy topics share this endpoint (shopify.app.toml). What each does is in
// app/services/webhooks/customer-data.server.ts; docs/decisions/0007-webhooks-and-backfill.md says why.
export function action({ request }: ActionFunctionArgs) {
  return receiveWebhook(request, ["customers/data_request", "customers/redact", "shop/redact"]);
}
