export { housekeepingFields, retentionsOf } from './env';
export { housekeepingParts } from './parts';
export { type HousekeepingCounts, type Retentions, runHousekeeping } from './run';
export { type Housekeeping, type HousekeepingOptions, startHousekeeping } from './start';
