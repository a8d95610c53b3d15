export {
  type FakeChat,
  type FakeChatMessage,
  type FakeChatOptions,
  type FakeChatReply,
  type FakeChatRequest,
  type FakeChatStep,
  lastToolResult,
  startFakeChat,
} from './chat-fake';
export { dockerAvailable } from './docker';
export {
  type FakeEmbeddings,
  type FakeEmbeddingsOptions,
  type FakeEmbeddingsRequest,
  fakeEmbedding,
  startFakeEmbeddings,
} from './embeddings-fake';
export { type StartTestNatsOptions, startTestNats, type TestNats, type TestNatsUser } from './nats';
export { freePort } from './ports';
export { createTestDatabase, type TestDatabase } from './postgres';
export { type PrivatePostgres, startPrivatePostgres } from './private-postgres';
export {
  type CreateTenantInput,
  createSandboxControl,
  type FaultAction,
  type SandboxControl,
  type SandboxCredentials,
  type SandboxEntity,
  type SandboxFaults,
  type SandboxFiredShift,
  type SandboxItem,
  type SandboxKeyStats,
  type SandboxPageShift,
  type SandboxSettings,
  type SandboxShiftTarget,
  type SandboxStats,
  type SandboxTenant,
  type StartedSandbox,
  type StartSandboxOptions,
  sandboxAccessToken,
  startSandbox,
  stCredentials,
} from './sandbox';
export { type ServiceProcess, type StartServiceOptions, startService } from './service';
export {
  migrateDatabase,
  type PipelineService,
  pipelineServices,
  provisionNats,
  type Stack,
  type StartStackOptions,
  startStack,
} from './stack';
export {
  type AddTenantInput,
  addSandboxTenant,
  type StackTenant,
  tenantCreateBody,
  testApplicationGuid,
  testTenantSecretsKeys,
} from './tenants';
