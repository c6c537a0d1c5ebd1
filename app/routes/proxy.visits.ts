import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { recordExperimentVisitor } from "~/models/experiment.server";
import { authenticateAppProxy, methodNotAllowed, STOREFRONT_HEADERS } from "~/services/app-proxy.server";
import { jsonError, parseOrThrow, readJsonBody } from "~/services/http.server";
import { limitStorefrontWrites } from "~/services/storefront-rate-limit.server";

/**
 * POST /apps/upshelf/visits: a storefront visitor in a holdout test, counted once (the widget
 * script sends it with navigator.sendBeacon the first time it assigns the visitor). The counts
 * check that visitors are split as configured and give conversion and revenue per visitor. The
 * visitor key is random, made by the script; the group is computed here, never taken from the body.
 */
export const MAX_VISIT_BODY_BYTES = 1024;

const visitSchema = z.object({
  experiment: z.string().regex(/^[a-z0-9]{1,16}$/, "must be the holdout test's key"),
  visitor: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, "must be 8 to 64 letters, digits, - or _"),
});

function tooLarge() {
  return jsonError(413, "payload_too_large", `Visits are limited to ${MAX_VISIT_BODY_BYTES} bytes.`, { headers: STOREFRONT_HEADERS });
}

export function loader() {
  return methodNotAllowed("POST", "Send visits with POST.");
}

export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== "POST") {
    return methodNotAllowed("POST", "Send visits with POST.");
  }
  const { shopId } = await authenticateAppProxy(request);
  await limitStorefrontWrites(request, shopId, "visits");
  const json = await readJsonBody(request, { maxBytes: MAX_VISIT_BODY_BYTES, tooLarge, init: { headers: STOREFRONT_HEADERS } });
  const visit = parseOrThrow(visitSchema, json, { headers: STOREFRONT_HEADERS });
  const group = await recordExperimentVisitor(shopId, visit.experiment, visit.visitor, new Date());
  // A page opened before the test stopped is not an error; it is simply not counted.
  return Response.json({ counted: group !== null }, { status: 202, headers: STOREFRONT_HEADERS });
}
