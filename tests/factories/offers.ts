import { createOffer } from "~/models/offer.server";

/** Saves an offer as the admin would, failing the test with the validation issues if it is refused; resolves to its id. */
export async function createTestOffer(shopId: string, input: Record<string, unknown>): Promise<string> {
  const saved = await createOffer(shopId, input);
  if (!saved.ok) throw new Error(`The test offer was refused: ${JSON.stringify(saved.issues)}`);
  return saved.offer.id;
}

/** An active spend-threshold offer: 10% off from 50.00 in `currency`. */
export function spendTiersInput(currency = "USD"): Record<string, unknown> {
  return {
    type: "spendTiers",
    title: "Spend more",
    status: "active",
    tiers: [{ minSubtotal: { amount: 5000, currency }, value: { kind: "percentage", percent: 10 } }],
  };
}
