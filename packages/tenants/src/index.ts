export { refusedForStatus, type TenantConnection, TenantDirectory } from './directory';
export { type TenantsEnv, tenantsEnvFields } from './env';
export {
  parseSecretsKeys,
  type SecretBinding,
  SecretBox,
  type SecretsKey,
  SecretUnreadableError,
} from './secrets';
export { stClientFor, TenantStClients, type TenantStClientsOptions } from './st-clients';
export { testConnection } from './test-connection';
