import { setImmediate as nextTurn } from "node:timers/promises";
import type { Steps } from "~/core/ranking";

/**
 * Work of a few seconds in the process that answers the storefront (a shop's ranking rebuild)
 * must not hold its event loop: requests queued behind it wait, and the widgets give up after
 * four seconds. A slicer lets such work run for `sliceMs`, then lets everything queued run
 * before it goes on. The work takes a little longer in all; no request waits more than a slice.
 */
export const DEFAULT_SLICE_MS = 10;

export interface TimeSlicer {
  /** Hands the event loop back if the current slice is used up; resolves when the work may go on. */
  pause(): Promise<void>;
  /** Runs stepwise work (core/ranking/steps) to its end, one slice at a time. */
  run<T>(steps: Steps<T>): Promise<T>;
  /** Reads every page of a paged query, letting queued requests run between pages. */
  collect<T>(pages: AsyncIterable<readonly T[]>): Promise<T[]>;
}

export function timeSlicer(sliceMs = DEFAULT_SLICE_MS): TimeSlicer {
  let sliceStart = performance.now();
  const pause = async () => {
    if (performance.now() - sliceStart < sliceMs) return;
    await nextTurn();
    sliceStart = performance.now();
  };
  return {
    pause,
    async run(steps) {
      for (;;) {
        const step = steps.next();
        if (step.done) return step.value;
        await pause();
      }
    },
    async collect(pages) {
      const items = [];
      for await (const page of pages) {
        items.push(...page);
        await pause();
      }
      return items;
    },
  };
}
