/**
 * Which group of a holdout test a visitor is in: a deterministic hash of the test's key and the
 * visitor's key, so the storefront script (which bundles this file; keep it tiny and free of
 * imports) and the server reading the results put every visitor in the same group, and a new
 * test reshuffles everyone.
 */
export type ExperimentGroup = "holdout" | "shown";

/** 0..9999: FNV-1a over the UTF-16 code units, then murmur3's finaliser to mix the low bits. */
export function assignmentBucket(experimentKey: string, visitorKey: string): number {
  const text = experimentKey + ":" + visitorKey;
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  hash = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b);
  hash = Math.imul(hash ^ (hash >>> 13), 0xc2b2ae35);
  return ((hash ^ (hash >>> 16)) >>> 0) % 10000;
}

/** Held out when the visitor's bucket falls below the held-out share (in basis points: 1000 = 10%). */
export function groupFor(holdoutBasisPoints: number, experimentKey: string, visitorKey: string): ExperimentGroup {
  return assignmentBucket(experimentKey, visitorKey) < holdoutBasisPoints ? "holdout" : "shown";
}
