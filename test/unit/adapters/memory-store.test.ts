import { MemoryStore } from '../../../functions/adapters/memory/store.ts';
import { describeStoreContract } from '../../support/store-contract.ts';

/** The in-memory twin passes the contract the DynamoDB adapter passes on dynalite. */
describeStoreContract('in memory', async () => ({
  fresh: async () => new MemoryStore({ clock: { now: () => new Date() } }),
  stop: async () => {},
}));
