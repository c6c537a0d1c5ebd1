import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveWebhook } from "~/services/webhooks";

// inventory_levels/update: refresh the variant's total inventory so sold-out items are not offered.
export function action({ request }: ActionFunctionArgs) {
  return receiveWebhook(request, ["inventory_levels/update"]);
}
