import type { EventRequestBody, OfferRequestBody, OfferResponseBody, SignChangesetRequestBody, WireOffer } from "../../../app/core/post-purchase/wire";
import { appUrl } from "./app-url";

/**
 * Longest the page waits for the app before it gives up. ShouldRender then answers `render: false`
 * (the buyer goes on to the thank-you page); an accept ends in "nothing was added" with "No thanks"
 * usable again. Without a limit, an app that never answers held the accept button loading and
 * "No thanks" disabled: the buyer had no way on from the page.
 */
export const OFFER_WAIT_MS = 5_000;
export const SIGN_WAIT_MS = 10_000;

/** Calls to the app, each authenticated by the post-purchase input token Shopify signed. */
async function post<T>(path: string, token: string, body: unknown, waitMs: number): Promise<T> {
  const controller = typeof AbortController === "function" ? new AbortController() : null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const gaveUp = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller?.abort();
      reject(new Error(`Upshelf did not answer ${path} within ${waitMs} ms.`));
    }, waitMs);
  });
  const answered = (async () => {
    const response = await fetch(`${appUrl()}${path}`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
      ...(controller ? { signal: controller.signal } : {}),
    });
    if (!response.ok) throw new Error(`Upshelf answered ${response.status} to ${path}.`);
    return (await response.json()) as T;
  })();
  try {
    return await Promise.race([answered, gaveUp]);
  } finally {
    clearTimeout(timer);
  }
}

export async function fetchOffer(token: string, body: OfferRequestBody): Promise<WireOffer | null> {
  return (await post<OfferResponseBody>("/api/post-purchase/offer", token, body, OFFER_WAIT_MS)).offer;
}

export async function fetchChangesetToken(token: string, body: SignChangesetRequestBody): Promise<string> {
  return (await post<{ token: string }>("/api/post-purchase/sign-changeset", token, body, SIGN_WAIT_MS)).token;
}

/** Longest the page waits for an event to be reported before it goes on (decline stays one tap). */
export const REPORT_WAIT_MS = 1_500;
const EVENT_SEND_MS = 30_000;

/**
 * The page's reports, sent in the order it makes them: each goes once the one before was answered
 * (or failed, or was given up on after EVENT_SEND_MS). The app counts a decline after a signed
 * accept only once it has read that nothing was added, so "No thanks" after a failed add must not
 * overtake the failure's report. Best effort: a lost or slow event never keeps the buyer on the
 * page, who waits at most REPORT_WAIT_MS for any one report.
 */
export function eventReporter(token: string): (body: EventRequestBody) => Promise<void> {
  let previous: Promise<void> = Promise.resolve();
  return async (body) => {
    // Not aborted at the wait's limit: the report may still land while the thank-you page loads.
    const sent = previous.then(() => post("/api/post-purchase/event", token, body, EVENT_SEND_MS)).then(
      () => undefined,
      () => undefined, // The dashboard misses one event; the buyer is not affected.
    );
    previous = sent;
    await Promise.race([sent, new Promise((resolve) => setTimeout(resolve, REPORT_WAIT_MS))]);
  };
}
