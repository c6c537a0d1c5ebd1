import { readShopSettings, shopSettingsSchema, type ShopSettings } from "~/core/settings";
import db from "~/db.server";

export async function getShopSettings(shopId: string): Promise<ShopSettings> {
  const row = await db.shopSettings.findUnique({ where: { shopId } });
  if (!row) return readShopSettings(null);
  let stored: unknown = null;
  try {
    stored = JSON.parse(row.data);
  } catch {
    stored = null;
  }
  return readShopSettings(stored);
}

/** Saves settings already validated by the caller (parsed again so nothing invalid is stored). */
export async function saveShopSettings(shopId: string, settings: ShopSettings): Promise<ShopSettings> {
  const valid = shopSettingsSchema.parse(settings);
  const data = JSON.stringify(valid);
  await db.shopSettings.upsert({ where: { shopId }, create: { shopId, data }, update: { data } });
  return valid;
}
