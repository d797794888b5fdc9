import { createMemoryStorage } from '../../../src/storage/memory/memory-storage.js';
import type { Storage } from '../../../src/storage/ports.js';

/** The in-memory store, with switches that make it fail the way a broken database would. */
export interface SwitchableStorage extends Storage {
  /** While set, `ping` rejects (the store is unreachable). */
  unreachable: boolean;
  /** While set, `teleconsultations.findById` throws this plain (non-domain) error. */
  findByIdFailure: Error | null;
}

export function createSwitchableStorage(): SwitchableStorage {
  const memory = createMemoryStorage();
  const storage: SwitchableStorage = {
    ...memory,
    unreachable: false,
    findByIdFailure: null,
    teleconsultations: {
      ...memory.teleconsultations,
      async findById(id) {
        if (storage.findByIdFailure) throw storage.findByIdFailure;
        return memory.teleconsultations.findById(id);
      },
    },
    async ping() {
      if (storage.unreachable) throw new Error('store unreachable');
      return memory.ping();
    },
  };
  return storage;
}
