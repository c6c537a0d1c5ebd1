import { Banner, List } from "@shopify/polaris";
import { offerWarningAdvice, offerWarningTitle, type OfferWarning } from "./offer-warnings";

/**
 * One warning banner per kind of offerWarnings: `done` says what just happened ("Saved",
 * "Activated"), so the title reads "Saved, but buyers will not see this bundle".
 */
export function OfferWarningBanners({ warnings, done }: { warnings: readonly (OfferWarning & { offers?: number })[]; done: string }) {
  return (
    <>
      {warnings.map((warning) => (
        <Banner key={warning.kind} tone="warning" title={offerWarningTitle(warning.kind, done, warning.offers)}>
          <List>
            {warning.messages.map((message, index) => (
              <List.Item key={`${index}:${message}`}>{message}</List.Item>
            ))}
          </List>
          <p>{offerWarningAdvice(warning.kind)}</p>
        </Banner>
      ))}
    </>
  );
}
