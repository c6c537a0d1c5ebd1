/**
 * Indices of the `limit` largest scores, best first (ties: smaller index first). A bounded
 * min-heap: O(n log limit) without sorting whole candidate lists, which is most of the work of
 * building a snapshot and of answering a cart query.
 */
export function topIndices(count: number, score: (index: number) => number, limit: number): number[] {
  if (limit <= 0) return [];
  const heap: number[] = [];
  const heapScores: number[] = [];
  // "worse" = lower score, or equal score and larger index (so smaller indices win ties).
  const worse = (i: number, j: number) => {
    const si = heapScores[i] ?? 0;
    const sj = heapScores[j] ?? 0;
    return si < sj || (si === sj && (heap[i] ?? 0) > (heap[j] ?? 0));
  };
  const swap = (i: number, j: number) => {
    [heap[i], heap[j]] = [heap[j] ?? 0, heap[i] ?? 0];
    [heapScores[i], heapScores[j]] = [heapScores[j] ?? 0, heapScores[i] ?? 0];
  };
  const siftDown = (start: number) => {
    let parent = start;
    for (;;) {
      const left = parent * 2 + 1;
      const right = left + 1;
      let smallest = parent;
      if (left < heap.length && worse(left, smallest)) smallest = left;
      if (right < heap.length && worse(right, smallest)) smallest = right;
      if (smallest === parent) return;
      swap(parent, smallest);
      parent = smallest;
    }
  };
  for (let index = 0; index < count; index++) {
    const value = score(index);
    if (Number.isNaN(value)) continue;
    if (heap.length < limit) {
      heap.push(index);
      heapScores.push(value);
      let child = heap.length - 1;
      while (child > 0) {
        const parent = (child - 1) >> 1;
        if (!worse(child, parent)) break;
        swap(child, parent);
        child = parent;
      }
    } else {
      const rootScore = heapScores[0] ?? 0;
      const rootIndex = heap[0] ?? 0;
      if (value > rootScore || (value === rootScore && index < rootIndex)) {
        heap[0] = index;
        heapScores[0] = value;
        siftDown(0);
      }
    }
  }
  const order = heap.map((index, position) => ({ index, score: heapScores[position] ?? 0 }));
  order.sort((a, b) => b.score - a.score || a.index - b.index);
  return order.map((entry) => entry.index);
}
