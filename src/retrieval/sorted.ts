/** Whether the ascending array holds a value in [from, to): a binary search. */
export function sortedHas(values: Int32Array | undefined, from: number, to: number): boolean {
  if (!values || values.length === 0) return false;
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((values[mid] as number) < from) lo = mid + 1;
    else hi = mid;
  }
  return lo < values.length && (values[lo] as number) < to;
}
