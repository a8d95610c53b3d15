export { type HttpPart, type ServeHttpOptions, serveHttp } from './http';
export type { ServicePart, ServiceParts } from './part';
export {
  type DatabaseSettings,
  type HealthSettings,
  type HealthSpec,
  type NatsSpec,
  runService,
  type ServiceContext,
  type ServiceEnv,
  type ServiceSpec,
} from './run-service';
export { type StopOnSignalsOptions, stopOnSignals } from './shutdown';
