// Comparing property maps the way the engine does: deep, key order and undefined ignored.

function stable(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(stable);
  if (v !== null && typeof v === "object") {
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
        .map((k) => [k, stable((v as Record<string, unknown>)[k])]),
    );
  }
  return v;
}

export function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(stable(a)) === JSON.stringify(stable(b));
}

/** Top-level keys whose values differ (PropertyMap.Diff's ChangedKeys, top level only). */
export function changedKeys(
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
): string[] {
  return Object.keys({ ...olds, ...news }).filter(
    (k) => !sameValue(olds[k], news[k]),
  );
}

/**
 * Each ignoreChanges property takes its old value (or is removed when it had none), before
 * Check and again in the Diff fallback. Top-level paths only. Follows
 * pkg/resource/deploy/step_generator.go `processIgnoreChanges`.
 */
export function processIgnoreChanges(
  news: Record<string, unknown>,
  olds: Record<string, unknown>,
  ignoreChanges: readonly string[],
): Record<string, unknown> {
  const out = { ...news };
  for (const key of ignoreChanges) {
    if (key in olds) out[key] = olds[key];
    else delete out[key];
  }
  return out;
}
