import { createMemoryStorage } from './memory/memory-storage.js';
import type { Storage } from './ports.js';

/** Which backend to use: what STORE and MONGODB_URL resolve to. */
export type StorageChoice = { kind: 'mongodb'; url: string } | { kind: 'memory' };

/**
 * The storage the configuration asks for. Memory only when asked for explicitly: falling back to
 * it when MongoDB is unreachable would silently lose every teleconsultation on restart.
 * The caller runs `init()` before serving.
 */
export async function createStorage(
  store: StorageChoice,
  collections: { teleconsultations: string; userIdMap: string; jobs: string; events: string },
): Promise<Storage> {
  switch (store.kind) {
    case 'mongodb':
      // Loaded only when chosen: the demo and tests never pay for the driver.
      return (await import('./mongo/mongo-storage.js')).createMongoStorage({ url: store.url, collections });
    case 'memory':
      return createMemoryStorage();
  }
}
