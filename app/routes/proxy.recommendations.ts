import type { LoaderFunctionArgs } from "@remix-run/node";
import { methodNotAllowed } from "~/services/app-proxy.server";
import { answerRecommendations, RECOMMENDATIONS_HEADERS } from "~/services/recommendations-endpoint.server";

/**
 * GET /apps/upshelf/recommendations through Remix. In the running app server.ts answers this path
 * ahead of Remix with the same `answerRecommendations` (app/services/recommendations-endpoint.server.ts,
 * which documents the parameters); this route keeps it reachable wherever only Remix runs.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const { status, body } = await answerRecommendations(new URL(request.url).searchParams);
  return new Response(body, { status, headers: RECOMMENDATIONS_HEADERS });
}

export function action() {
  return methodNotAllowed("GET", "Ask for recommendations with GET.");
}
