import { MemoryJobStore } from '../../lib/store/memory-job-store.js';
import { storeContract } from './helpers/store-contract.js';

storeContract('MemoryJobStore', {
  make: async (history) => new MemoryJobStore({ history }),
  shared: false,
});
