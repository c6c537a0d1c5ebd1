import { isRouteErrorResponse, type ClientActionFunctionArgs, type ClientLoaderFunctionArgs } from "@remix-run/react";

/**
 * A submission that never reached Upshelf (the connection dropped, the server was restarting, a
 * proxy answered with its own page) must leave the page as the merchant had it and say so, rather
 * than hand Remix an error that replaces the whole admin: docs/decisions/0013.
 */

/** The `error` code of the answer the browser makes up when a submission got no answer from Upshelf. */
export const UNREACHABLE = "unreachable";

/**
 * Why a request got no answer from Upshelf: `no_answer`, nothing came back (fetch rejected);
 * `not_upshelf`, something answered that is not Upshelf's Remix (a proxy's 502 page, an empty body).
 */
export type UnreachableCause = "no_answer" | "not_upshelf";

// What Remix's single fetch throws when the answer is not one of Upshelf's turbo-stream payloads.
const FOREIGN_ANSWER = /^(Unable to decode turbo-stream response|No response body to decode|No response found for routeId)/;

/**
 * The cause, or null for what must be passed on as it is: Upshelf's own answers (a redirect, the
 * re-auth responses Shopify's boundary handles, the app's JSON errors, a crash) and a request the
 * router gave up on itself (the merchant moved on).
 *
 * fetch rejects with a TypeError in every browser when no answer comes, whatever its message
 * ("Failed to fetch", "NetworkError when attempting to fetch resource.", "Load failed"), and the
 * server's own crashes never arrive as a TypeError in production: Remix sends them as an `Error`
 * named "Error". (In development a server crash keeps its class, so a TypeError there reads as
 * unreachable here; the terminal still shows the crash.)
 */
export function unreachableCause(thrown: unknown, signal?: AbortSignal): UnreachableCause | null {
  if (signal?.aborted) return null;
  if (thrown instanceof Response || isRouteErrorResponse(thrown)) return null;
  if (thrown instanceof TypeError) return "no_answer";
  if (thrown instanceof Error && FOREIGN_ANSWER.test(thrown.message)) return "not_upshelf";
  return null;
}

/** What a page says when a submission got no answer from Upshelf: `unreachableMessage`. */
export interface UnknownOutcome {
  /**
   * What may or may not have happened, said as such ("your changes may or may not have been
   * saved"): the request may have reached Upshelf and done its work, only its answer lost, so the
   * page can say neither that it was done nor that it was not.
   */
  readonly outcome: string;
  /** What the page still holds, when there is something to keep ("Your changes are still here"). */
  readonly kept?: string;
  /** How to try again, "try again" by default ("save again"). */
  readonly retry?: string;
  /** Why trying again is safe, only where that has been made true and tested (a second save saves once). */
  readonly safe?: string;
}

/**
 * "Upshelf could not be reached, so your changes may or may not have been saved. Your changes are
 * still here; check your connection and save again. Saving again is safe: …"
 */
export function unreachableMessage({ outcome, kept, retry = "try again", safe }: UnknownOutcome): string {
  return `Upshelf could not be reached, so ${outcome}. ${kept ? `${kept}; check` : "Check"} your connection and ${retry}.${safe ? ` ${safe}` : ""}`;
}

/**
 * The message of a save whose second sending saves once (the offer editor's clientToken and
 * version, the settings pages' baseline: docs/decisions/0013), `what` the thing saved.
 */
export function unsavedMessage(what: string): string {
  return unreachableMessage({
    outcome: `${what} may or may not have been saved`,
    kept: "Your changes are still here",
    retry: "save again",
    safe: "Saving again is safe: a save that did arrive is not made twice.",
  });
}

/** What the page had sent, for the answer made up in its place. */
export interface UnsentSubmission {
  /** The form's `intent` field ("" without one): pages tell their actions apart by it. */
  readonly intent: string;
  readonly form: FormData;
}

/**
 * A route's `clientAction`: the server's action as usual, but a submission that got no answer
 * from Upshelf becomes `answer(...)`, in the shape the page already shows its refusals in, so
 * what the merchant typed stays and Save can be pressed again. Everything else the server action
 * throws (redirects, Shopify's re-auth, the app's errors) is thrown on as before.
 *
 * The made-up answer carries status 503: Remix does not reload the page's data after an action
 * that failed (nothing changed, and the reload would fail the same way and replace the page).
 */
export function keepPageWhenUnreachable<Answer>(answer: (submission: UnsentSubmission) => Answer) {
  return async function clientAction({ request, serverAction }: ClientActionFunctionArgs): Promise<unknown> {
    // serverAction() reads the request's body: the copy keeps what was sent for the answer below.
    const sent = request.clone();
    try {
      return await serverAction();
    } catch (thrown) {
      if (unreachableCause(thrown, request.signal) === null) throw thrown;
      const form = await sent.formData().catch(() => new FormData());
      const intent = form.get("intent");
      return Response.json(answer({ intent: typeof intent === "string" ? intent : "", form }), { status: 503 });
    }
  };
}

/** Whether an action's answer is the one made up above: pages whose refusals read otherwise say it in their own words. */
export function isUnreachableAnswer(data: unknown): data is { error: typeof UNREACHABLE; message: string } {
  return typeof data === "object" && data !== null && (data as { error?: unknown }).error === UNREACHABLE && typeof (data as { message?: unknown }).message === "string";
}

// ---------------------------------------------------------------------------------------------
// Loads: a page's own refresh and a fetcher's load (docs/decisions/0013, "Loads")
// ---------------------------------------------------------------------------------------------
//
// A load that fails goes to the route's error boundary, and a fetcher's goes to the page's: the
// in-frame "could not be reached" page replaces whatever the merchant had on screen. The two
// clientLoaders below catch only what `unreachableCause` names; everything else the server loader
// throws (a redirect, Shopify's re-auth, the app's errors) is thrown on unchanged.

/** The data objects made by `keepDataWhenUnreachable` in place of an answer that never came. */
const keptInstead = new WeakSet<object>();

/**
 * Whether a page's data is what it last had, kept because the reload got no answer from Upshelf:
 * the page shows it as it was and its refresh says it is paused.
 */
export function isKeptWhenUnreachable(data: unknown): boolean {
  return typeof data === "object" && data !== null && keptInstead.has(data);
}

/**
 * The clientLoader of a route whose page refreshes its own data (a job's progress) or holds what
 * the merchant is typing while it does: a reload of the address the page shows that gets no
 * answer from Upshelf gives the data the page last had (a shallow copy, so the page re-renders and
 * what it built from the data stays put), which `isKeptWhenUnreachable` recognises. A load of any
 * other address (the merchant moving on while offline) fails as before, into the admin's in-frame
 * page: there is nothing of that page to keep.
 *
 * It runs on hydration too (`hydrate`; Remix hands it the server's data without a request), so the
 * first refresh after the page loads already has something to keep.
 */
export function keepDataWhenUnreachable() {
  let last: { address: string; data: object } | undefined;
  async function clientLoader({ request, serverLoader }: ClientLoaderFunctionArgs): Promise<unknown> {
    const address = addressOf(request.url);
    try {
      const data: unknown = await serverLoader();
      last = typeof data === "object" && data !== null ? { address, data } : undefined;
      return data;
    } catch (thrown) {
      if (last?.address !== address || unreachableCause(thrown, request.signal) === null) throw thrown;
      const kept = { ...last.data };
      keptInstead.add(kept);
      return kept;
    }
  }
  clientLoader.hydrate = true as const;
  return clientLoader;
}

/**
 * The clientLoader of a route that fetchers load from (a search): a load that gets no answer from
 * Upshelf gives `answer()` instead, which the component shows in place (its typed query stays).
 */
export function answerWhenUnreachable<Answer>(answer: () => Answer) {
  return async function clientLoader({ request, serverLoader }: ClientLoaderFunctionArgs): Promise<unknown> {
    try {
      return await serverLoader();
    } catch (thrown) {
      if (unreachableCause(thrown, request.signal) === null) throw thrown;
      return answer();
    }
  };
}

/** The page an address shows: its path and query, without the host. */
function addressOf(url: string): string {
  const { pathname, search } = new URL(url);
  return `${pathname}${search}`;
}
