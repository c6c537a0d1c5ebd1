/**
 * Upshelf's post-purchase page, on the vanilla post-purchase extension API (docs/decisions/0008):
 *
 * - ShouldRender asks the app for one offer for this purchase and keeps it in `storage`; no offer
 *   (or any failure) means `render: false` and the buyer goes on to the thank-you page.
 * - Render shows that offer: image, title, price after discount, the exact saving, and Shopify's
 *   own calculation of what would be charged now. Two buttons, neither pre-selected, no timer.
 *   Accept: the app signs the changeset, Shopify applies it, then `done()`. Decline: `done()`.
 *   An accept that adds nothing is reported as such, so the decline that follows counts.
 */
import {
  BlockStack,
  Button,
  CalloutBanner,
  extend,
  Heading,
  Image,
  Layout,
  Separator,
  Text,
  TextBlock,
  TextContainer,
  View,
} from "@shopify/post-purchase-ui-extensions";
import { previewChangeset } from "../../../app/core/post-purchase/changeset";
import { eventRequest, postPurchaseOfferRequest, signChangesetRequest, type PostPurchaseInitialPurchase } from "../../../app/core/post-purchase/requests";
import { applyOutcome, calculatedOffer, offerView, type ApplyOutcome } from "../../../app/core/post-purchase/view-model";
import type { WireOffer } from "../../../app/core/post-purchase/wire";
import { eventReporter, fetchChangesetToken, fetchOffer } from "./api";

interface StoredOffer {
  offer: WireOffer;
}

function storedOffer(data: unknown): WireOffer | null {
  const offer = (data as Partial<StoredOffer> | null)?.offer;
  return offer && typeof offer.variantId === "string" ? offer : null;
}

extend("Checkout::PostPurchase::ShouldRender", async ({ inputData, storage }) => {
  try {
    const purchase = inputData.initialPurchase as unknown as PostPurchaseInitialPurchase;
    const offer = await fetchOffer(inputData.token, postPurchaseOfferRequest(purchase));
    if (!offer) return { render: false };
    await storage.update({ offer } satisfies StoredOffer);
    return { render: true };
  } catch {
    return { render: false };
  }
});

extend("Checkout::PostPurchase::Render", (root, api) => {
  const offer = storedOffer(api.storage.initialData);
  if (!offer) {
    void api.done();
    return;
  }
  const purchase = api.inputData.initialPurchase as unknown as PostPurchaseInitialPurchase;
  const token = api.inputData.token;
  const referenceId = purchase.referenceId;
  const view = offerView(offer, "post_purchase");
  let busy = false;

  const totalsText = root.createText("Calculating the total with taxes…");
  const messageText = root.createText("");
  const message = root.createComponent(TextBlock, { appearance: "critical" }, [messageText]);

  // Renamed once Shopify has calculated, to what the tap charges (taxes and shipping included).
  const acceptText = root.createText(view.acceptLabel);
  const accept = root.createComponent(Button, { submit: true, disabled: true, loadingLabel: "Adding to your order…" }, [acceptText]);
  const declineText = root.createText(view.declineLabel);
  const decline = root.createComponent(Button, { subdued: true }, [declineText]);
  // After a changeset Shopify applied but could not charge, the way out is "Continue", not a decline.
  let declineReports = true;

  const priceLine = root.createComponent(BlockStack, { spacing: "xtight" }, [
    root.createComponent(Text, { size: "large", emphasized: true }, view.priceText),
    ...(view.fullPriceText ? [root.createComponent(Text, { role: "deletion", subdued: true }, view.fullPriceText)] : []),
    ...(view.savingText ? [root.createComponent(Text, { appearance: "success" }, view.savingText)] : []),
  ]);

  root.appendChild(
    root.createComponent(BlockStack, { spacing: "loose" }, [
      root.createComponent(CalloutBanner, { title: view.heading }, "Your order is confirmed. If you like, add this to it."),
      root.createComponent(
        Layout,
        {
          maxInlineSize: 0.95,
          media: [
            { viewportSize: "small", sizes: [1, 30, 1] },
            { viewportSize: "medium", sizes: [300, 30, 0.5] },
            { viewportSize: "large", sizes: [400, 30, 0.33] },
          ],
        },
        [
          root.createComponent(View, {}, view.image ? [root.createComponent(Image, { source: view.image, description: view.title })] : []),
          root.createComponent(View),
          root.createComponent(BlockStack, { spacing: "loose" }, [
            root.createComponent(TextContainer, {}, [root.createComponent(Heading, {}, view.title), priceLine]),
            root.createComponent(Separator),
            root.createComponent(TextBlock, { subdued: true }, [totalsText]),
            message,
            root.createComponent(BlockStack, { spacing: "tight" }, [accept, decline]),
          ]),
        ],
      ),
    ]),
  );
  root.mount();

  const report = eventReporter(token);
  const answer = (kind: "offer_accepted" | "offer_declined" | "offer_accept_failed") => report(eventRequest("post_purchase", kind, referenceId, offer.productId));
  const finish = async (kind: "offer_accepted" | "offer_declined") => {
    await answer(kind);
    await api.done();
  };

  // Shopify's own numbers for what accepting would charge (taxes and currency included).
  api
    .calculateChangeset(previewChangeset(offer))
    .then((calculation) => {
      const calculated = calculatedOffer(calculation, offer);
      if (calculated.kind !== "confirmed") {
        totalsText.updateText("");
        messageText.updateText(calculated.message);
        return;
      }
      const totals = calculated.totals;
      const parts = [
        `Item: ${totals.itemText}`,
        totals.taxText ? `Taxes: ${totals.taxText}` : null,
        totals.shippingText ? `Shipping: ${totals.shippingText}` : null,
        `Charged now: ${totals.chargedNowText}`,
      ].filter(Boolean);
      totalsText.updateText(parts.join(" · "));
      acceptText.updateText(totals.acceptLabel);
      accept.updateProps({ disabled: false });
    })
    .catch(() => {
      totalsText.updateText("");
      messageText.updateText("The total could not be calculated, so nothing can be added right now.");
    });

  accept.updateProps({
    onPress: async () => {
      if (busy) return;
      busy = true;
      accept.updateProps({ loading: true });
      decline.updateProps({ disabled: true });
      let outcome: ApplyOutcome;
      try {
        const changeset = await fetchChangesetToken(token, signChangesetRequest(purchase, offer));
        outcome = applyOutcome(await api.applyChangeset(changeset));
      } catch {
        outcome = { kind: "not_added", message: "Something went wrong, and nothing was added to your order." };
      }
      if (outcome.kind === "added") {
        await finish("offer_accepted");
        return;
      }
      messageText.updateText(outcome.message);
      if (outcome.kind === "added_unpaid") {
        await answer("offer_accepted");
        declineReports = false;
        declineText.updateText("Continue");
      } else {
        // Not awaited: "No thanks" is usable at once, and its report goes after this one.
        void answer("offer_accept_failed");
      }
      busy = false;
      accept.updateProps({ loading: false, disabled: true });
      decline.updateProps({ disabled: false });
    },
  });
  decline.updateProps({
    onPress: async () => {
      if (busy) return;
      busy = true;
      if (declineReports) await finish("offer_declined");
      else await api.done();
    },
  });
});
