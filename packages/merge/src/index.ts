export { type DecideOptions, type Decision, decide, type LocalRow } from './decide';
export {
  type DiffOptions,
  diffFields,
  ignoredFields,
  type StFields,
  sameValue,
  syncedContent,
  syncedHash,
  volatileFields,
  volatileServiceFields,
} from './fields';
export {
  type Owner,
  type PersonChoice,
  type PolicyInput,
  type PolicyResult,
  type Settlement,
  type Side,
  settleThreeWay,
} from './policy';
export {
  type MergeChoice,
  type MergeOutcome,
  type MergeProblem,
  type MergeSubject,
  mergeResolution,
} from './resolution';
export { olderThanSeen, type SeenStVersion } from './st-version';
export {
  diffOptionsFor,
  type FieldConflict,
  type ThreeWayInput,
  type ThreeWayResult,
  threeWay,
} from './three-way';
