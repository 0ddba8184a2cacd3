/**
 * Strings that every plain object answers without owning them: the members of Object.prototype (`valueOf`,
 * `toString`, `constructor`, `hasOwnProperty`, `__proto__`, `isPrototypeOf` …) plus `toJSON` and `then`, which
 * JSON.stringify and `await` look up on any object. Looked up in a plain object (`TABLE[detailType]`) such a string
 * resolves to an inherited function or object instead of `undefined`. The fuzzers draw them wherever untrusted text
 * meets a table: detail types, sources, identities, statuses, parameter names, tag keys, JSON keys and AWS error names
 * (issue 18: the AMI watcher took a "valueOf" detail-type for an instance refresh event).
 */
export const PROTOTYPE_NAMES: readonly string[] = [
  ...new Set([...Object.getOwnPropertyNames(Object.prototype), 'toJSON', 'then']),
].sort();
