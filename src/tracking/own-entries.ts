// Records keyed by user-chosen names (params, tags, metrics): a key such as `constructor`, `toString`
// or `__proto__` is a name like any other. Plain `record[key]` reads Object.prototype's members for
// the first two, and plain assignment to `__proto__` changes the prototype and loses the entry.

/** `record[key]` if the record itself holds it, never a member inherited from Object.prototype. */
export function ownValue<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/** Sets `record[key]` as the record's own entry, `__proto__` included. */
export function putEntry<T>(record: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(record, key, { value, writable: true, enumerable: true, configurable: true });
}
