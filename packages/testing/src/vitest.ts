// What needs the Vitest runner lives behind its own entry: Vitest refuses to load outside it, and
// the benchmarks use the rest of this package as plain scripts.
export { type TestNatsOptions, type TestWorld, test } from './fixtures';
export { forFile } from './for-file';
export { until } from './wait';
