import { readShopSettings, shopSettingsSchema, type ShopSettings } from "~/core/settings";
import db from "~/db.server";
import { isUniqueViolation } from "./unique-violation";

function parseStored(data: string | undefined): ShopSettings {
  if (data === undefined) return readShopSettings(null);
  let stored: unknown = null;
  try {
    stored = JSON.parse(data);
  } catch {
    stored = null;
  }
  return readShopSettings(stored);
}

export async function getShopSettings(shopId: string): Promise<ShopSettings> {
  const row = await db.shopSettings.findUnique({ where: { shopId } });
  return parseStored(row?.data);
}

/** Saves settings already validated by the caller (parsed again so nothing invalid is stored). */
export async function saveShopSettings(shopId: string, settings: ShopSettings): Promise<ShopSettings> {
  const valid = shopSettingsSchema.parse(settings);
  const data = JSON.stringify(valid);
  await db.shopSettings.upsert({ where: { shopId }, create: { shopId, data }, update: { data } });
  return valid;
}

/** What `change` decides: the settings to store (null stores nothing), and what to tell the caller. */
export interface SettingsChange<T> {
  readonly next: ShopSettings | null;
  readonly outcome: T;
}

const CHANGE_ATTEMPTS = 5;

/**
 * Reads a shop's settings, lets `change` derive new ones from them and stores those only if the
 * stored settings are still the ones read (compare-and-swap on the stored text). A save landing
 * in between makes `change` run again on the newer settings, so two saves never lose each other's
 * fields. `previous` is what `change` last saw.
 */
export async function changeShopSettings<T>(
  shopId: string,
  change: (current: ShopSettings) => SettingsChange<T>,
): Promise<{ previous: ShopSettings; outcome: T }> {
  for (let attempt = 1; attempt <= CHANGE_ATTEMPTS; attempt++) {
    const row = await db.shopSettings.findUnique({ where: { shopId } });
    const previous = parseStored(row?.data);
    const { next, outcome } = change(previous);
    if (next === null) return { previous, outcome };
    const data = JSON.stringify(shopSettingsSchema.parse(next));
    if (row === null) {
      try {
        await db.shopSettings.create({ data: { shopId, data } });
        return { previous, outcome };
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        continue; // Another save created the row first: merge into it.
      }
    }
    const written = await db.shopSettings.updateMany({ where: { shopId, data: row.data }, data: { data } });
    if (written.count === 1) return { previous, outcome };
  }
  throw new Error(`The settings of shop ${shopId} kept changing while being saved; try again.`);
}
