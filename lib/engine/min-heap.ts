/** What a heap slot holds: an entry ordered by `dueAt` that knows its slot. @internal */
export interface HeapEntry {
  dueAt: number;
  heapIndex: number;
}

/** Moves the entry at `i` up to its place in the min-heap. @internal */
export function siftUp(heap: HeapEntry[], i: number): void {
  const entry = heap[i];
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (heap[parent].dueAt <= entry.dueAt) break;
    heap[i] = heap[parent];
    heap[i].heapIndex = i;
    i = parent;
  }
  heap[i] = entry;
  entry.heapIndex = i;
}

/** Moves the entry at `i` down to its place in the min-heap. @internal */
export function siftDown(heap: HeapEntry[], i: number): void {
  const n = heap.length;
  const entry = heap[i];
  for (;;) {
    let child = 2 * i + 1;
    if (child >= n) break;
    if (child + 1 < n && heap[child + 1].dueAt < heap[child].dueAt) child++;
    if (heap[child].dueAt >= entry.dueAt) break;
    heap[i] = heap[child];
    heap[i].heapIndex = i;
    i = child;
  }
  heap[i] = entry;
  entry.heapIndex = i;
}
