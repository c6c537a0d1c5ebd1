/**
 * Upshelf's offers engine: bundles, mix and match, buy X get Y, quantity breaks, spend tiers and
 * upgrade ladders, priced in integer minor units. The widget, the admin preview and the checkout
 * function all price through here, so they agree to the minor unit.
 */
export * from "./checkout";
export { discountClassOf } from "./types";
export { OffersError, type OfferIssue, type OffersErrorCode } from "./errors";
export { parseOffer, safeParseOffer, uncheckedAmounts, type ParseOfferOptions, type ParseOfferResult, type UncheckedAmount } from "./parse-offer";
export { offerSchema, type OfferInput } from "./offer-schema";
export { isOfferLive, scheduleBoundaryPassed, type Now } from "./schedule";
export { storefrontOfferIndex, type StorefrontIndexOptions, type StorefrontOfferIndex } from "./storefront-index";
export { bundleCompanions } from "./bundle-companions";
export { savingLabel, savingText, type MoneyWords, type ResolvedValue } from "./messages";
export { resolveSpendTiers } from "./spend-tiers";
export { resolveAmount } from "./pricing-context";
export { mixAndMatchStated, quantityTiersStated, setSavingApplied, tierHoldsEach, tierSavingAlone, tiersNotBeaten, unitSavingApplied, type KnownPriceRange } from "./stated-terms";
export { describeProgress, priceCartWithProgress, type TierProgress, type TierStep } from "./progress";
export {
  previewAddition,
  previewUpgrade,
  offerSavingChange,
  upgradeSavingStated,
  previewTier,
  tierUnitPrice,
  type AdditionPreview,
  type PreviewItem,
  type UpgradePreview,
} from "./preview";
export {
  encodeFunctionConfiguration,
  foreignCurrencies,
  type EncodedFunctionConfiguration,
  type EncodeOptions,
  type OmissionReason,
  type OmittedOffer,
} from "./encode-function-configuration";
export { FUNCTION_CONFIGURATION_MAX_BYTES } from "./function-configuration-format";
export { SEARCH_EVALUATION_BUDGET } from "./best-combination";
export { findOfferConflicts, offersCanCombine, type OfferConflict } from "./conflicts";
