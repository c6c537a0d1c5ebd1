import type { Browser, Page } from "playwright-core";
import db from "~/db.server";
import { DEMO_SHOP_DOMAIN } from "~/env.server";
import { createOffer } from "~/models/offer.server";

/**
 * A live quantity break (2+: 10% off, 4+: 20% off) on the demo shop's first product, its row as
 * stored before the test touches it, and a page of the built admin open on its editor.
 */
export async function openDemoTierOffer(browser: Browser, serverUrl: string, title: string) {
  const cup = await db.product.findFirstOrThrow({ where: { shopId: DEMO_SHOP_DOMAIN }, select: { shopifyId: true }, orderBy: { id: "asc" } });
  const created = await createOffer(DEMO_SHOP_DOMAIN, {
    type: "quantityBreaks",
    title,
    status: "active",
    eligible: { productIds: [`gid://shopify/Product/${cup.shopifyId}`] },
    tiers: [
      { minQuantity: 2, value: { kind: "percentage", percent: 10 } },
      { minQuantity: 4, value: { kind: "percentage", percent: 20 } },
    ],
  });
  if (!created.ok) throw new Error(JSON.stringify(created.issues));
  const before = await db.offer.findFirstOrThrow({ where: { id: created.offer.id } });
  const page: Page = await browser.newPage();
  await page.goto(`${serverUrl}/app/tiers/${created.offer.id}`, { waitUntil: "networkidle", timeout: 90_000 });
  await page.getByRole("heading", { name: title, level: 1 }).waitFor({ state: "visible" });
  return { offer: created.offer, before, page };
}
