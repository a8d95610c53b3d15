/**
 * One thing a service runs (a consumer loop, an HTTP server, a scheduler, the applier's jobs).
 * A `ConsumerRunner` is one as it is.
 */
export interface ServicePart {
  /** Stops intake and finishes the work in hand. */
  stop(): Promise<void>;
  /**
   * Resolves when the part has ended. Ending without `stop()` (a loop that died, a server that
   * closed) stops the service with exit code 1, so a supervisor restarts it.
   */
  readonly stopped?: Promise<unknown>;
}

/** A service's parts by name, stopped in this order; the name is what the logs call it. */
export type ServiceParts = Record<string, ServicePart>;
