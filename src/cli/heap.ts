import v8 from 'node:v8';

/**
 * Bound the garbage a long streamed audit leaves uncollected.
 *
 * Each row allocates a few kilobytes that die at once. V8's defaults suit programs that keep what they
 * allocate: the young generation grows to 32 MB (per thread) and the old one to about four times its
 * live size before a full collection, which over a million rows holds 100 MB and more of dead rows. For
 * a large streamed run the young generation keeps its starting size and the old one grows by at most
 * 60% between collections; the cost is more, smaller collections (about a tenth more CPU time).
 *
 * V8 puts the young generation's growth factor back to its default whenever it sets up a new heap
 * (each worker thread has one), so this is called again once the workers are running.
 */
export function boundHeapGrowth(): void {
  v8.setFlagsFromString('--semi-space-growth-factor=1');
  v8.setFlagsFromString('--heap-growing-percent=60');
}
