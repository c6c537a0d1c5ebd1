import type { ActionFunctionArgs } from "@remix-run/node";
import db from "~/db.server";
import { shopify } from "~/shopify.server";

// app/uninstalled: stop serving the shop and forget its sessions. Shopify may deliver this more
// than once, and after the sessions are gone, so every step tolerates having run already.
export async function action({ request }: ActionFunctionArgs) {
  const { shop } = await shopify().authenticate.webhook(request);
  await db.session.deleteMany({ where: { shop } });
  await db.shop.updateMany({ where: { id: shop, uninstalledAt: null }, data: { uninstalledAt: new Date() } });
  return new Response(null, { status: 200 });
}
