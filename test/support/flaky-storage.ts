import { createMemoryStorage } from '../../src/storage/memory/memory-storage.js';
import type { Storage } from '../../src/storage/ports.js';

/**
 * A memory store whose next teleconsultation insert or update throws, to rehearse a database
 * failure after the video provider succeeded (the room exists, its record does not).
 */
export function flakyStorage(): { storage: Storage; failNext: { insert: boolean; update: boolean } } {
  const storage = createMemoryStorage();
  const failNext = { insert: false, update: false };
  const teleconsultations = storage.teleconsultations;
  return {
    storage: {
      ...storage,
      teleconsultations: {
        ...teleconsultations,
        insert: async (data, now) => {
          if (failNext.insert) {
            failNext.insert = false;
            throw new Error('insert failed (injected)');
          }
          return teleconsultations.insert(data, now);
        },
        update: async (id, version, data, now) => {
          if (failNext.update) {
            failNext.update = false;
            throw new Error('update failed (injected)');
          }
          return teleconsultations.update(id, version, data, now);
        },
      },
    },
    failNext,
  };
}
