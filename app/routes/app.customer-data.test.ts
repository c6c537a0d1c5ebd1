import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import db from "~/db.server";
import { processWebhookDelivery } from "~/services/webhooks";
import { createTestShop } from "../../tests/factories/shop";
import { webhookFixture } from "../../tests/fixtures/webhooks/signed-request";
import { adminRequest, useShopifyAdminMode } from "../../tests/support/admin-session";
import { responseOf } from "../../tests/support/app-proxy";
import { loader as download } from "./app.customer-data.$id";
import { loader as shopifyDataPage } from "./app.sync";

useShopifyAdminMode();

/** A customers/data_request as Shopify delivers it, processed as the webhook route would. */
async function answeredDataRequest(shopId: string, topic = "customers/data_request", fixture = "customers-data-request") {
  const delivery = await db.webhookDelivery.create({ data: { shopId, webhookId: randomUUID(), topic, payload: webhookFixture(fixture, shopId) } });
  expect(await processWebhookDelivery(delivery.id)).toBe(true);
  return delivery.id;
}

const fetchExport = async (shopId: string, id: string) =>
  responseOf(async () => download({ request: await adminRequest(shopId, `/app/customer-data/${id}`), params: { id }, context: {} }));

describe("customer data requests in the admin", () => {
  it("lists the shop's answered requests on the Shopify data page and serves each as a JSON file; other shops get a 404", async () => {
    const shop = await createTestShop();
    const other = await createTestShop();
    await db.order.create({
      data: {
        shopId: shop.id, shopifyId: "1", name: "#1", customerId: "191167", currency: "USD", subtotalAmount: 1000, totalAmount: 1000, placedAt: new Date("2025-01-01T00:00:00Z"),
        lines: { create: { shopId: shop.id, title: "Mug", quantity: 1, unitPriceAmount: 1000, currency: "USD" } },
      },
    });
    const id = await answeredDataRequest(shop.id);

    const page = await shopifyDataPage({ request: await adminRequest(shop.id, "/app/sync"), params: {}, context: {} });
    expect(page.customerData).toEqual([{ id, receivedAt: expect.any(String), customerId: "191167", orders: 1 }]);
    expect((await shopifyDataPage({ request: await adminRequest(other.id, "/app/sync"), params: {}, context: {} })).customerData).toEqual([]);

    const file = await fetchExport(shop.id, String(id));
    expect(file.status).toBe(200);
    expect(file.headers.get("Content-Disposition")).toBe('attachment; filename="upshelf-customer-191167-data.json"');
    const data = (await file.json()) as { customerId: string; orders: { shopifyId: string; lines: { title: string }[] }[] };
    expect(data).toMatchObject({ customerId: "191167", orders: [{ shopifyId: "1", lines: [{ title: "Mug" }] }] });
    expect(JSON.stringify(data)).not.toContain("@");

    for (const [shopId, path] of [[other.id, String(id)], [shop.id, "999999999"], [shop.id, "1e3"]] as const) {
      const refused = await fetchExport(shopId, path);
      expect(refused.status, `${shopId} ${path}`).toBe(404);
    }
  });

  it("no longer lists or serves a request once the customer's data was redacted", async () => {
    const shop = await createTestShop();
    const id = await answeredDataRequest(shop.id);
    expect((await fetchExport(shop.id, String(id))).status).toBe(200);
    await answeredDataRequest(shop.id, "customers/redact", "customers-redact");
    expect((await fetchExport(shop.id, String(id))).status).toBe(404);
    expect((await shopifyDataPage({ request: await adminRequest(shop.id, "/app/sync"), params: {}, context: {} })).customerData).toEqual([]);
  });
});
