// biome-ignore-all format: the specification's text, kept as it is written
// biome-ignore-all lint/correctness/noUnusedVariables: the specification's example reads conflicts without using them
// The original specification's "Programmatic Usage" example, run by programmatic-usage.test.ts.
// Only the import and the constructor differ from the specification: the engine is reached over
// its HTTP API, so it takes the API's address and a key instead of a database and a ServiceTitan
// client. `conflictId`, which the specification leaves to its reader, comes from the environment.
import { PricebookSyncEngine } from '@pricebook/client';

// Initialize
const syncEngine = new PricebookSyncEngine({
  url: process.env.PRICEBOOK_API_URL,
  apiKey: process.env.PRICEBOOK_API_KEY,
});
const conflictId = process.env.CONFLICT_ID;

// Run sync
const result = await syncEngine.sync({
  direction: 'from_st',
  fullSync: true,
  resolveConflicts: 'manual'
});

console.log(`Synced ${result.stats.created} new, ${result.stats.updated} updated`);

// Get conflicts
const conflicts = await syncEngine.getConflicts();

// Resolve conflict
await syncEngine.resolveConflict(conflictId, 'keep_st', 'admin');
