import { useFetchers, useLoaderData, useNavigation, useRevalidator } from "@remix-run/react";
import { useEffect } from "react";
import { isKeptWhenUnreachable } from "./unreachable";

/** Said, quietly, while the page shows what it last had because its refresh got no answer. */
export const REFRESH_PAUSED =
  "Updates paused: Upshelf could not be reached. This page shows what it last heard and carries on by itself when Upshelf answers.";

/**
 * Reloads the page's data every `everyMs` while `active` (a job running on the server), so the
 * page follows it without the merchant reloading. Returns `REFRESH_PAUSED` while the last reload
 * got no answer from Upshelf, null otherwise.
 *
 * The page's route exports `clientLoader = keepDataWhenUnreachable()` (docs/decisions/0013): a
 * reload that gets no answer then keeps the page as it was instead of replacing it with the error
 * page. While that is so the reloads go on, `active` or not (the data saying whether a job runs
 * is the old one), so the page catches up as soon as Upshelf answers.
 *
 * It waits while anything the merchant started is in flight (a navigation, a form submission or a
 * fetcher): a revalidation that starts during an action counts, for Remix's router, as a newer
 * navigation, so a redirect that action returns is dropped and the merchant stays where they were.
 * Those submissions reload the data themselves when they finish.
 */
export function useRefreshWhile(active: boolean, everyMs: number): string | null {
  const revalidator = useRevalidator();
  const navigation = useNavigation();
  const fetchers = useFetchers();
  const paused = isKeptWhenUnreachable(useLoaderData());
  const busy = revalidator.state !== "idle" || navigation.state !== "idle" || fetchers.some((fetcher) => fetcher.state !== "idle");
  const refreshing = active || paused;

  useEffect(() => {
    if (!refreshing || busy) return;
    const timer = setInterval(() => revalidator.revalidate(), everyMs);
    return () => clearInterval(timer);
  }, [refreshing, busy, everyMs, revalidator]);

  return paused ? REFRESH_PAUSED : null;
}
