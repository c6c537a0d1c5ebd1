import type { LoaderFunctionArgs } from "@remix-run/node";
import { CUSTOMER_DATA_EXPORT_DAYS } from "~/core/webhook-retention";
import { authenticateAdmin } from "~/services/admin-auth.server";
import { jsonError } from "~/services/http.server";
import { findCustomerDataExport } from "~/services/webhooks";

/**
 * GET /app/customer-data/:id: one answered customers/data_request of the shop, as a JSON file for
 * the merchant to pass on to the customer (listed on the Shopify data page). Another shop's, an
 * unknown one, or one a customers/redact or its retention has since removed is a 404.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { shopId } = await authenticateAdmin(request);
  const id = /^\d{1,9}$/.test(params.id ?? "") ? Number(params.id) : null;
  const data = id === null ? null : await findCustomerDataExport(shopId, id);
  if (!data) return jsonError(404, "not_found", `There is no such customer data request for this shop (a customer redaction removes it, and it is deleted ${CUSTOMER_DATA_EXPORT_DAYS} days after the request).`);
  return new Response(JSON.stringify(data, null, 2), {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="upshelf-customer-${data.customerId.replace(/\D/g, "")}-data.json"`,
      "Cache-Control": "no-store",
    },
  });
}
