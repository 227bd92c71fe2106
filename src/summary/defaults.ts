/**
 * Options over their defaults, where an option given as `undefined` keeps its default (a plain
 * spread would let `{ max: undefined }` erase it).
 */
export function withDefaults<T extends object>(defaults: T, options: Partial<T> | undefined): T {
  const out = { ...defaults };
  for (const [key, value] of Object.entries(options ?? {})) {
    if (value !== undefined) (out as Record<string, unknown>)[key] = value;
  }
  return out;
}
