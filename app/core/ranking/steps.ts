/**
 * Long computations (a full snapshot build takes seconds on a large shop) are written as
 * generators that yield between small pieces of work. Core stays synchronous and free of I/O:
 * a caller that cannot pause runs them to the end with `runToEnd`, and the server hands its event
 * loop back between pieces (app/services/time-slices.server.ts) so storefront requests are
 * answered while a shop's model is rebuilt.
 */
export type Steps<T> = Generator<void, T, void>;

/** Runs a stepwise computation to its end at once. */
export function runToEnd<T>(steps: Steps<T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** How many items a loop handles between yields: a few milliseconds of work on a shop's catalog. */
export const ITEMS_PER_STEP = 4;
