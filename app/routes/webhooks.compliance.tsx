import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import db from "~/db.server";
import { shopify } from "~/shopify.server";

// The three mandatory compliance topics share this route (shopify.app.toml). Upshelf stores no
// names, emails or addresses: only Shopify's customer id on orders, kept for these requests.
const customerPayload = z.object({
  shop_domain: z.string(),
  customer: z.object({ id: z.union([z.number(), z.string()]) }),
});

export async function action({ request }: ActionFunctionArgs) {
  const { topic, shop, payload } = await shopify().authenticate.webhook(request);
  switch (topic) {
    case "CUSTOMERS_DATA_REQUEST": {
      const { customer } = customerPayload.parse(payload);
      const orders = await db.order.findMany({
        where: { shopId: shop, customerId: String(customer.id) },
        select: { name: true, placedAt: true, totalAmount: true, currency: true },
      });
      // Shopify expects the merchant to be told; we log what we hold so it can be forwarded.
      console.info(`customers/data_request for ${shop}: ${orders.length} orders reference customer ${customer.id}`);
      break;
    }
    case "CUSTOMERS_REDACT": {
      const { customer } = customerPayload.parse(payload);
      await db.order.updateMany({ where: { shopId: shop, customerId: String(customer.id) }, data: { customerId: null } });
      break;
    }
    case "SHOP_REDACT":
      // Cascades to every table keyed by the shop.
      await db.shop.deleteMany({ where: { id: shop } });
      await db.session.deleteMany({ where: { shop } });
      break;
    default:
      return new Response(`Unexpected topic ${topic}`, { status: 400 });
  }
  return new Response(null, { status: 200 });
}
