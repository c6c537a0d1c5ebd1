import { describe, expect, it } from "vitest";
import * as cartPrice from "./proxy.cart.price";
import * as events from "./proxy.events";
import * as offers from "./proxy.offers";
import * as recommendations from "./proxy.recommendations";
import * as visits from "./proxy.visits";

/**
 * Remix sends GET to a route's loader and POST to its action. A storefront route that takes one
 * method answers the other with a 405 JSON error naming the method to use, like every other error
 * of the storefront API (without a loader or action Remix answered with its own error and stack).
 */
describe("storefront routes asked with the wrong method", () => {
  const cases = [
    ["GET /events", () => events.loader(), "POST", "Send events with POST."],
    ["GET /visits", () => visits.loader(), "POST", "Send visits with POST."],
    ["GET /cart/price", () => cartPrice.loader(), "POST", "Send the cart with POST."],
    ["POST /offers", () => offers.action(), "GET", "Ask for a product's offers with GET."],
    ["POST /recommendations", () => recommendations.action(), "GET", "Ask for recommendations with GET."],
  ] as const;

  it.each(cases)("%s answers 405 with Allow and a JSON error", async (_, call, allow, message) => {
    const response = await call();
    expect(response.status).toBe(405);
    expect(response.headers.get("Allow")).toBe(allow);
    expect(response.headers.get("Cache-Control")).toBe("no-store");
    expect(await response.json()).toEqual({ error: "method_not_allowed", message });
  });
});
