import { existsSync } from 'node:fs';

/** True when a Docker engine socket is present, so testcontainers can start containers. */
export function dockerAvailable(): boolean {
  if (process.env.DOCKER_HOST) return true;
  return existsSync('/var/run/docker.sock');
}
