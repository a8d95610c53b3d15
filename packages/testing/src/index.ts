export { dockerAvailable } from './docker';
export { startTestNats, type TestNats } from './nats';
export { freePort, waitFor } from './ports';
export { createTestDatabase, type TestDatabase } from './postgres';
