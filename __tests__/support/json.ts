/**
 * Parsed JSON as the tests read it: synthesized Terraform JSON, `terraform show -json` plans, Lambda config documents
 * and raw config files mutated into bad input. No static type describes these documents (the provider's JSON schema
 * is not a TypeScript type), so tests walk arbitrary paths and `expect` checks every value at run time, where a wrong
 * path fails the test. This is the test suites' one deliberate `any`; production code narrows `unknown` instead.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- untyped parsed JSON, checked by expect() (see above)
export type JsonValue = any;

/** A parsed JSON object whose members a test reads by path. */
export type JsonObject = Record<string, JsonValue>;
