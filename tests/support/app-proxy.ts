import { DEMO_API_SECRET } from "~/env.server";
import { signAppProxyParams } from "~/services/app-proxy-signature.server";

/** A request as Shopify's app proxy forwards it to the app: signed with the app's secret. */
export function appProxyRequest(
  path: string,
  options: { shop: string; query?: Record<string, string>; init?: RequestInit; secret?: string; now?: Date; loggedInCustomerId?: string },
): Request {
  const params = signAppProxyParams(new URLSearchParams(options.query ?? {}), {
    shop: options.shop,
    secret: options.secret ?? DEMO_API_SECRET,
    now: options.now ?? new Date(),
    ...(options.loggedInCustomerId !== undefined ? { loggedInCustomerId: options.loggedInCustomerId } : {}),
  });
  return new Request(`http://localhost/proxy${path}?${params}`, options.init);
}

/** Runs a route handler and returns its Response, whether the route returned or threw it. */
export async function responseOf(run: () => Promise<Response>): Promise<Response> {
  try {
    return await run();
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}
