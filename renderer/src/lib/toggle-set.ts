/** A copy of `set` with `item` in it (`on`) or out of it: for checkbox lists kept as React state. */
export function withToggled<T>(set: ReadonlySet<T>, item: T, on: boolean): Set<T> {
  const next = new Set(set);
  if (on) next.add(item);
  else next.delete(item);
  return next;
}
