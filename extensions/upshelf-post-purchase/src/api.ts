import type { EventRequestBody, OfferRequestBody, OfferResponseBody, SignChangesetRequestBody, WireOffer } from "../../../app/core/post-purchase/wire";
import { appUrl } from "./app-url";

/** Calls to the app, each authenticated by the post-purchase input token Shopify signed. */
async function post<T>(path: string, token: string, body: unknown): Promise<T> {
  const response = await fetch(`${appUrl()}${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`Upshelf answered ${response.status} to ${path}.`);
  return (await response.json()) as T;
}

export async function fetchOffer(token: string, body: OfferRequestBody): Promise<WireOffer | null> {
  return (await post<OfferResponseBody>("/api/post-purchase/offer", token, body)).offer;
}

export async function fetchChangesetToken(token: string, body: SignChangesetRequestBody): Promise<string> {
  return (await post<{ token: string }>("/api/post-purchase/sign-changeset", token, body)).token;
}

/** Longest the page waits for an event to be reported before it goes on (decline stays one tap). */
export const REPORT_WAIT_MS = 1_500;

/** Best effort: a lost or slow event must never keep the buyer on the page. */
export async function reportEvent(token: string, body: EventRequestBody): Promise<void> {
  try {
    await Promise.race([post("/api/post-purchase/event", token, body), new Promise((resolve) => setTimeout(resolve, REPORT_WAIT_MS))]);
  } catch {
    // The dashboard misses one event; the buyer is not affected.
  }
}
