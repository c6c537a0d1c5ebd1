import { shareOf } from "./rates";

/**
 * The widget funnel per placement: how often a widget was actually seen, clicked, and led to an
 * add to cart. Post-purchase offers report `offer_shown` / `offer_accepted` instead of
 * impressions and adds; they count as the same steps so every placement reads alike.
 */
export const DASHBOARD_PLACEMENTS = ["pdp", "cart", "post_purchase", "thank_you"] as const;
export type DashboardPlacement = (typeof DASHBOARD_PLACEMENTS)[number];

export const PLACEMENT_LABELS: Record<DashboardPlacement, string> = {
  pdp: "Product page",
  cart: "Cart",
  post_purchase: "Post-purchase",
  thank_you: "Thank-you page",
};

export type FunnelStep = "impressions" | "clicks" | "addsToCart";

const STEP_OF_KIND: Record<string, FunnelStep | undefined> = {
  impression: "impressions",
  offer_shown: "impressions",
  click: "clicks",
  add_to_cart: "addsToCart",
  offer_accepted: "addsToCart",
};

/** The event kinds that count as a funnel step; every other kind (offer_declined, offer_accept_failed) counts nowhere. */
export const FUNNEL_KINDS: readonly string[] = Object.keys(STEP_OF_KIND);

export function funnelStepOf(kind: string): FunnelStep | undefined {
  return STEP_OF_KIND[kind];
}

export interface EventCount {
  readonly placement: string;
  readonly kind: string;
  readonly count: number;
}

/**
 * Steps a placement cannot report. The post-purchase page has no click (the buyer accepts or
 * declines); the thank-you block links to the cart and cannot see the add that follows there.
 * Their counts and rates are "not measured" (null), not 0: a 0% rate would read as a finding.
 */
const UNMEASURED_STEPS: Record<DashboardPlacement, readonly FunnelStep[]> = {
  pdp: [],
  cart: [],
  post_purchase: ["clicks"],
  thank_you: ["addsToCart"],
};

/** Where buyers cannot click (the post-purchase page: they accept or decline). */
export const PLACEMENTS_WITHOUT_CLICKS: readonly DashboardPlacement[] = DASHBOARD_PLACEMENTS.filter((placement) => UNMEASURED_STEPS[placement].includes("clicks"));

/** The event kinds that count as an impression. */
export const IMPRESSION_KINDS: readonly string[] = FUNNEL_KINDS.filter((kind) => STEP_OF_KIND[kind] === "impressions");

export interface PlacementFunnel {
  readonly placement: DashboardPlacement;
  readonly label: string;
  readonly impressions: number;
  /** Null where the placement has no click step. */
  readonly clicks: number | null;
  /** Null where the placement cannot see the add to cart. */
  readonly addsToCart: number | null;
  /** Clicks per impression; null before any impression, or where clicks are not measured. */
  readonly clickThroughRate: number | null;
  /** Adds to cart per impression; null before any impression, or where adds are not measured. */
  readonly addToCartRate: number | null;
}

export function computePlacementFunnels(counts: readonly EventCount[]): PlacementFunnel[] {
  return DASHBOARD_PLACEMENTS.map((placement) => {
    const steps = { impressions: 0, clicks: 0, addsToCart: 0 };
    for (const count of counts) {
      if (count.placement !== placement) continue;
      const step = funnelStepOf(count.kind);
      if (step) steps[step] += count.count;
    }
    const measured = (step: FunnelStep) => !UNMEASURED_STEPS[placement].includes(step);
    return {
      placement,
      label: PLACEMENT_LABELS[placement],
      impressions: steps.impressions,
      clicks: measured("clicks") ? steps.clicks : null,
      addsToCart: measured("addsToCart") ? steps.addsToCart : null,
      clickThroughRate: measured("clicks") ? shareOf(steps.clicks, steps.impressions) : null,
      addToCartRate: measured("addsToCart") ? shareOf(steps.addsToCart, steps.impressions) : null,
    };
  });
}

export interface DailyEventPoint {
  readonly day: string;
  readonly impressions: number;
  readonly clicks: number;
  readonly addsToCart: number;
}

/** Per-day funnel totals over every placement, one point per day of the period. */
export function computeDailyEvents(
  dayKeys: readonly string[],
  countsByDay: ReadonlyMap<string, readonly { kind: string; count: number }[]>,
): DailyEventPoint[] {
  return dayKeys.map((day) => {
    const point = { day, impressions: 0, clicks: 0, addsToCart: 0 };
    for (const count of countsByDay.get(day) ?? []) {
      const step = funnelStepOf(count.kind);
      if (step) point[step] += count.count;
    }
    return point;
  });
}
