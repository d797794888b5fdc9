import { createMemoryStorage } from '../../src/storage/memory/memory-storage.js';
import type { Storage } from '../../src/storage/ports.js';

/** What the next teleconsultation writes do instead of succeeding. */
export interface FlakyWrites {
  /** The next insert throws. */
  insert: boolean;
  /** The next update throws. */
  update: boolean;
  /** The next this-many updates find the version moved on (a run of lost races). */
  versionMoves: number;
}

/**
 * A memory store whose next teleconsultation insert or update throws, or whose next updates find
 * the version moved on: a database failure, or lost races, after the video provider succeeded
 * (the room exists, its record does not).
 */
export function flakyStorage(): { storage: Storage; failNext: FlakyWrites } {
  const storage = createMemoryStorage();
  const failNext: FlakyWrites = { insert: false, update: false, versionMoves: 0 };
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
          if (failNext.versionMoves > 0) {
            // As if another writer had just stored a newer version.
            failNext.versionMoves--;
            return null;
          }
          return teleconsultations.update(id, version, data, now);
        },
      },
    },
    failNext,
  };
}
