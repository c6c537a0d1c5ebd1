import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { csvKeysOfStorefrontIds } from "~/models/catalog.server";
import { type PLACEMENTS, recordWidgetEvents, type WIDGET_EVENT_KINDS } from "~/models/widget-event.server";
import { authenticateAppProxy, methodNotAllowed, STOREFRONT_HEADERS } from "~/services/app-proxy.server";
import { jsonError, parseOrThrow, readJsonBody } from "~/services/http.server";
import { limitStorefrontWrites } from "~/services/storefront-rate-limit.server";

/**
 * POST /apps/upshelf/events: the widgets' feedback (impressions when actually visible, clicks,
 * adds), sent in batches with navigator.sendBeacon, which posts text/plain. Nothing personal is
 * accepted: unknown fields are dropped by the schema.
 */
export const MAX_EVENT_BODY_BYTES = 16 * 1024;
export const MAX_EVENTS_PER_BATCH = 50;

const productId = z.string().regex(/^\d{1,20}$/, "must be a numeric Shopify product id");

// The storefront widgets report from product pages and carts. Post-purchase and thank-you events
// come signed by checkout (api.post-purchase.event); anyone can call this endpoint.
const STOREFRONT_PLACEMENTS = ["pdp", "cart"] as const satisfies readonly (typeof PLACEMENTS)[number][];
const STOREFRONT_KINDS = ["impression", "click", "add_to_cart"] as const satisfies readonly (typeof WIDGET_EVENT_KINDS)[number][];

const eventSchema = z.object({
  kind: z.enum(STOREFRONT_KINDS, { message: `must be one of ${STOREFRONT_KINDS.join(", ")}` }),
  placement: z.enum(STOREFRONT_PLACEMENTS, { message: `must be one of ${STOREFRONT_PLACEMENTS.join(", ")} (checkout reports its own)` }),
  anchor: productId.nullish(),
  product: productId,
  offer: z.string().max(64).nullish(),
  propensity: z.number().min(0).max(1).nullish(),
  model: z.string().max(64).nullish(),
});

const batchSchema = z.object({
  events: z.array(eventSchema).min(1, "send at least one event").max(MAX_EVENTS_PER_BATCH, `send at most ${MAX_EVENTS_PER_BATCH} events`),
});

function tooLarge() {
  return jsonError(413, "payload_too_large", `Event batches are limited to ${MAX_EVENT_BODY_BYTES} bytes.`, {
    headers: STOREFRONT_HEADERS,
  });
}

export function loader() {
  return methodNotAllowed("POST", "Send events with POST.");
}

export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== "POST") {
    return methodNotAllowed("POST", "Send events with POST.");
  }
  const { shopId } = await authenticateAppProxy(request);
  await limitStorefrontWrites(request, shopId, "events");
  const json = await readJsonBody(request, { maxBytes: MAX_EVENT_BODY_BYTES, tooLarge, init: { headers: STOREFRONT_HEADERS } });
  const { events } = parseOrThrow(batchSchema, json, { headers: STOREFRONT_HEADERS });
  // A product imported from a CSV file is anchored under its key, as the model ranks it; the demo
  // shop's storefront names it by its numeric id (core/catalog-keys.ts storefrontIdOf).
  const csvAnchors = await csvKeysOfStorefrontIds(shopId, "product", events.flatMap((event) => event.anchor ?? []));
  const recorded = await recordWidgetEvents(
    shopId,
    events.map((event) => ({
      kind: event.kind,
      placement: event.placement,
      anchorProductId: event.anchor ? (csvAnchors.get(event.anchor) ?? event.anchor) : null,
      productId: event.product,
      offerId: event.offer ?? null,
      propensity: event.propensity ?? null,
      modelVersion: event.model ?? null,
    })),
    new Date(),
  );
  return Response.json({ recorded }, { status: 202, headers: STOREFRONT_HEADERS });
}
