import type { Offer } from "./types";

/** The engine's notion of the current time, always passed in: core has no clock. */
export type Now = Date | number;

export function toEpochMilliseconds(now: Now): number {
  const value = typeof now === "number" ? now : now.getTime();
  if (!Number.isFinite(value)) throw new RangeError(`"${String(now)}" is not a point in time.`);
  return value;
}

/** Active and within its schedule: starts at `startsAt` (inclusive), ends at `endsAt` (exclusive). */
export function isOfferLive(offer: Pick<Offer, "status" | "schedule">, now: Now): boolean {
  const at = toEpochMilliseconds(now);
  if (offer.status !== "active") return false;
  if (offer.schedule.startsAt !== null && at < offer.schedule.startsAt) return false;
  if (offer.schedule.endsAt !== null && at >= offer.schedule.endsAt) return false;
  return true;
}

/**
 * True when an offer starts or ends after `since` and at or before `now`. Checkout's
 * configuration written at `since` then still carries an offer that has ended, or a schedule
 * slot for one that has started; rewriting it closes the gap left by checkout's clock, which
 * reads local time without an offset.
 */
export function scheduleBoundaryPassed(offers: readonly Pick<Offer, "schedule">[], since: Now, now: Now): boolean {
  const from = toEpochMilliseconds(since);
  const to = toEpochMilliseconds(now);
  return offers.some(({ schedule }) => [schedule.startsAt, schedule.endsAt].some((at) => at !== null && at > from && at <= to));
}
