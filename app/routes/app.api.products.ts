import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { clampSearch } from "~/core/catalog-search";
import { authenticateAdmin } from "~/services/admin-auth.server";
import { parseOrThrow, queryObject } from "~/services/http.server";
import { searchCatalog } from "~/services/offer-admin.server";
import { answerWhenUnreachable, UNREACHABLE } from "~/components/unreachable";

/**
 * The local product picker's search (demo mode, or any time App Bridge is absent): the
 * authenticated shop's products by title, handle or SKU, with prices in the shop currency. An
 * over-long query is cut, not refused (clampSearch says why).
 */
const querySchema = z.object({
  q: z.string().default("").transform(clampSearch),
  limit: z.coerce.number().int().min(1).max(50).default(25),
});

export async function loader({ request }: LoaderFunctionArgs) {
  const { shopId } = await authenticateAdmin(request);
  const { q, limit } = parseOrThrow(querySchema, queryObject(new URL(request.url).searchParams));
  const results = await searchCatalog(shopId, q, limit);
  return Response.json({ results });
}

/** What the picker shows in place of results when its search got no answer from Upshelf. */
export const SEARCH_UNREACHABLE = "The search could not reach Upshelf. Check your connection and try again.";

/**
 * A search that gets no answer (the connection dropped, a proxy's page) is said in the picker,
 * which keeps what was typed, instead of replacing the whole page (docs/decisions/0013).
 */
export const clientLoader = answerWhenUnreachable(() => ({ results: [], error: UNREACHABLE, message: SEARCH_UNREACHABLE }));
