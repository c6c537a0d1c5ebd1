/**
 * Indices of the `limit` largest scores, best first (ties: smaller index first; NaN skipped).
 * A bounded min-heap in typed arrays: O(n log limit) without sorting whole candidate lists,
 * which is most of the work of building a snapshot and of answering a big cart.
 */
export function topIndices(count: number, score: (index: number) => number, limit: number): number[] {
  const size = Math.min(Math.max(0, Math.floor(limit)), count);
  if (size === 0) return [];
  const heapIndex = new Int32Array(size);
  const heapScore = new Float64Array(size);
  let length = 0;
  // Heap order: the root is the worst kept entry (lowest score; on equal scores, larger index).
  const worse = (a: number, b: number) => {
    const sa = heapScore[a] as number;
    const sb = heapScore[b] as number;
    return sa < sb || (sa === sb && (heapIndex[a] as number) > (heapIndex[b] as number));
  };
  const swap = (a: number, b: number) => {
    const index = heapIndex[a] as number;
    const value = heapScore[a] as number;
    heapIndex[a] = heapIndex[b] as number;
    heapScore[a] = heapScore[b] as number;
    heapIndex[b] = index;
    heapScore[b] = value;
  };
  for (let index = 0; index < count; index++) {
    const value = score(index);
    if (value !== value) continue;
    if (length < size) {
      heapIndex[length] = index;
      heapScore[length] = value;
      let child = length;
      length += 1;
      while (child > 0) {
        const parent = (child - 1) >> 1;
        if (!worse(child, parent)) break;
        swap(child, parent);
        child = parent;
      }
      continue;
    }
    // Indices arrive in increasing order, so an equal score never beats a kept entry.
    if (!(value > (heapScore[0] as number))) continue;
    heapIndex[0] = index;
    heapScore[0] = value;
    let parent = 0;
    for (;;) {
      const left = parent * 2 + 1;
      const right = left + 1;
      let smallest = parent;
      if (left < length && worse(left, smallest)) smallest = left;
      if (right < length && worse(right, smallest)) smallest = right;
      if (smallest === parent) break;
      swap(parent, smallest);
      parent = smallest;
    }
  }
  const order = Array.from({ length }, (_, i) => i);
  order.sort(
    (a, b) => (heapScore[b] as number) - (heapScore[a] as number) || (heapIndex[a] as number) - (heapIndex[b] as number)
  );
  return order.map((i) => heapIndex[i] as number);
}
