import { useFetchers, useNavigation, useRevalidator } from "@remix-run/react";
import { useEffect } from "react";

/**
 * Reloads the page's data every `everyMs` while `active` (a job running on the server), so the
 * page follows it without the merchant reloading.
 *
 * It waits while anything the merchant started is in flight (a navigation, a form submission or a
 * fetcher): a revalidation that starts during an action counts, for Remix's router, as a newer
 * navigation, so a redirect that action returns is dropped and the merchant stays where they were.
 * Those submissions reload the data themselves when they finish.
 */
export function useRefreshWhile(active: boolean, everyMs: number): void {
  const revalidator = useRevalidator();
  const navigation = useNavigation();
  const fetchers = useFetchers();
  const busy = revalidator.state !== "idle" || navigation.state !== "idle" || fetchers.some((fetcher) => fetcher.state !== "idle");

  useEffect(() => {
    if (!active || busy) return;
    const timer = setInterval(() => revalidator.revalidate(), everyMs);
    return () => clearInterval(timer);
  }, [active, busy, everyMs, revalidator]);
}
