/**
 * Upshelf's thank-you block (vanilla checkout UI extensions API 2025-07). It asks the app's offer
 * endpoint, with the checkout session token, for one offer for the order just placed and shows it
 * with a link to a new checkout holding that item (a cart permalink), at the regular price: the
 * order is closed, so nothing can be added to it and no discount is promised. Nothing is
 * pre-selected, nothing counts down, and "Dismiss" removes the block.
 */
import { BlockStack, Button, Heading, Image, InlineLayout, Text, View, extension } from "@shopify/ui-extensions/checkout";
import { eventRequest, thankYouOfferRequest, type ThankYouLine } from "../../../app/core/post-purchase/requests";
import { offerView } from "../../../app/core/post-purchase/view-model";
import type { EventRequestBody, OfferResponseBody } from "../../../app/core/post-purchase/wire";
import { appUrl } from "./app-url";

async function post<T>(path: string, token: string, body: unknown): Promise<T> {
  const response = await fetch(`${appUrl()}${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`Upshelf answered ${response.status} to ${path}.`);
  return (await response.json()) as T;
}

export default extension("purchase.thank-you.block.render", (root, api) => {
  const report = async (body: EventRequestBody) => {
    try {
      await post("/api/post-purchase/event", await api.sessionToken.get(), body);
    } catch {
      // Best effort: the dashboard misses one event, the buyer is not affected.
    }
  };

  const show = async () => {
    const orderId = api.orderConfirmation.current.order.id;
    const lines = api.lines.current as unknown as ThankYouLine[];
    const { offer } = await post<OfferResponseBody>("/api/post-purchase/offer", await api.sessionToken.get(), thankYouOfferRequest(orderId, lines));
    if (!offer?.cartUrl) return;
    const view = offerView(offer, "thank_you");
    const block = root.createComponent(BlockStack, { spacing: "base" }, [
      root.createComponent(Heading, { level: 2 }, view.heading),
      root.createComponent(InlineLayout, { columns: [64, "fill"], spacing: "base", blockAlignment: "center" }, [
        root.createComponent(View, {}, view.image ? [root.createComponent(Image, { source: view.image, accessibilityDescription: view.title })] : []),
        root.createComponent(BlockStack, { spacing: "extraTight" }, [
          root.createComponent(Text, { emphasis: "bold" }, view.title),
          root.createComponent(Text, {}, view.priceText),
        ]),
      ]),
      root.createComponent(InlineLayout, { columns: ["fill", "fill"], spacing: "base" }, [
        root.createComponent(
          Button,
          {
            to: offer.cartUrl,
            onPress: () => void report(eventRequest("thank_you", "click", orderId, offer.productId)),
          },
          view.acceptLabel,
        ),
        root.createComponent(
          Button,
          {
            kind: "secondary",
            onPress: () => {
              root.removeChild(block);
              void report(eventRequest("thank_you", "offer_declined", orderId, offer.productId));
            },
          },
          view.declineLabel,
        ),
      ]),
    ]);
    root.appendChild(block);
  };

  show().catch(() => {
    // No offer, no app URL or no network: the thank-you page simply has no Upshelf block.
  });
});
