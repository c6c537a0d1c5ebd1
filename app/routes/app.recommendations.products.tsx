import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { clampSearch } from "~/core/catalog-search";
import { authenticateAdmin } from "~/services/admin-auth.server";
import { parseOrThrow, queryObject } from "~/services/http.server";
import { searchProducts } from "~/services/recommendations-preview.server";

/** GET /app/recommendations/products?q=: the admin's product picker (the shop's own products only); an over-long query is cut (clampSearch). */
const querySchema = z.object({
  q: z.string().default("").transform(clampSearch),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});

export async function loader({ request }: LoaderFunctionArgs) {
  const { shopId } = await authenticateAdmin(request);
  const query = parseOrThrow(querySchema, queryObject(new URL(request.url).searchParams));
  return { products: await searchProducts(shopId, query.q, query.limit) };
}
