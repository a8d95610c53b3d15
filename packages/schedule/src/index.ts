export { driftFields, scheduleFields } from './env';
export {
  compileCron,
  cronOf,
  cronProblem,
  nextRunOf,
  type ScheduleConfig,
  type SchedulerStatus,
  schedulerStatus,
} from './next-run';
export { openSchedulerState, type SchedulerStateStore } from './state-store';
