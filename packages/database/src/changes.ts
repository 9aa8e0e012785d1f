/** One field's change: what it was and what it became. */
export interface FieldChange {
  from: unknown;
  to: unknown;
}

/**
 * Sets the given fields (`undefined` means "leave as is") that differ from the entity's
 * current values, compared by value (arrays and JSON objects too), and returns what changed,
 * for the history entry and the `*.updated` event.
 */
export function applyChanges<T extends object>(entity: T, changes: Partial<T>): Record<string, FieldChange> {
  const changed: Record<string, FieldChange> = {};
  for (const [key, to] of Object.entries(changes) as [keyof T & string, T[keyof T & string]][]) {
    if (to === undefined) continue;
    const from = entity[key];
    if (JSON.stringify(from) === JSON.stringify(to)) continue;
    changed[key] = { from, to };
    entity[key] = to;
  }
  return changed;
}
