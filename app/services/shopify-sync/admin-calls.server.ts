import { AdminApiError, type AdminApi } from "~/services/admin-api.server";

const THROTTLE_RETRIES = 6;

function isThrottled(error: unknown): boolean {
  if (!(error instanceof AdminApiError) || !Array.isArray(error.errors)) return false;
  return error.errors.some((entry: { extensions?: { code?: string } }) => entry?.extensions?.code === "THROTTLED");
}

/**
 * One Admin API call that waits out Shopify's cost-based throttling (answered as a GraphQL
 * error with code THROTTLED, not as HTTP 429). A long sync drains the bucket; waiting a moment
 * refills it, so this is retried rather than failing the job.
 */
export async function callAdmin<T>(
  admin: AdminApi,
  operation: string,
  query: string,
  variables: Record<string, unknown> = {},
  waitMs = 1_000,
): Promise<T | null> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await admin.request<T>(operation, query, variables);
    } catch (error) {
      if (!isThrottled(error) || attempt >= THROTTLE_RETRIES) throw error;
      await new Promise((resolve) => setTimeout(resolve, waitMs * (attempt + 1)));
    }
  }
}

/** The numeric tail of a Shopify GID ("gid://shopify/Order/123" -> "123"). */
export function legacyId(gid: string): string {
  const tail = gid.slice(gid.lastIndexOf("/") + 1).split("?")[0] ?? "";
  if (!/^\d+$/.test(tail)) throw new Error(`"${gid}" is not a Shopify id.`);
  return tail;
}
