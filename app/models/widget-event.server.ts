import db from "~/db.server";

export const WIDGET_EVENT_KINDS = ["impression", "click", "add_to_cart", "offer_shown", "offer_accepted", "offer_declined"] as const;
export const PLACEMENTS = ["pdp", "cart", "post_purchase", "thank_you"] as const;

export type WidgetEventKind = (typeof WIDGET_EVENT_KINDS)[number];
export type Placement = (typeof PLACEMENTS)[number];

export interface NewWidgetEvent {
  kind: WidgetEventKind;
  placement: Placement;
  anchorProductId: string | null;
  productId: string;
  offerId: string | null;
  propensity: number | null;
  modelVersion: string | null;
}

export async function recordWidgetEvents(shopId: string, events: NewWidgetEvent[], occurredAt: Date): Promise<number> {
  if (events.length === 0) return 0;
  const result = await db.widgetEvent.createMany({
    data: events.map((event) => ({ ...event, shopId, occurredAt })),
  });
  return result.count;
}

export function countWidgetEvents(shopId: string, where: { kind?: WidgetEventKind; placement?: Placement } = {}) {
  return db.widgetEvent.count({ where: { shopId, ...where } });
}
