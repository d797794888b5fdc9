/** The store: which backend keeps the data, and the names of its collections. */
import type { EnvironmentIssue } from '../issues.js';
import { collectionName, mongoUrl, oneOf, text, type ValuesOf, type VariableTable } from '../values.js';

/** Where the migration from a deployment of the original is explained (named in start-up errors). */
const MIGRATION_GUIDE = 'docs/migration.md';

const STORES = ['memory', 'mongodb'] as const;

export const STORE_VARIABLES = {
  TELECONSULTATIONS_CRUD_NAME: {
    default: 'teleconsultations',
    description: 'Name of the collection holding the teleconsultations.',
    schema: collectionName,
  },
  JOBS_CRUD_NAME: {
    default: 'teleconsultation_jobs',
    description:
      'Name of the collection holding durable background work (Kaleyra room clean-up), claimed by one replica at a time.',
    schema: collectionName,
  },
  EVENTS_CRUD_NAME: {
    default: 'teleconsultation_events',
    description:
      'Name of the collection holding the append-only event log of every teleconsultation (the audit trail, webhooks and subscriptions read it).',
    schema: collectionName,
  },
  USER_ID_MAP_CRUD_NAME: {
    default: 'userIdMap',
    description: 'Name of the collection mapping each external user id to its Kaleyra user id.',
    schema: collectionName,
  },
  MONGODB_URL: {
    description:
      'MongoDB connection string (mongodb:// or mongodb+srv://). Set: teleconsultations are stored in MongoDB.',
    schema: mongoUrl,
  },
  STORE: {
    description:
      'memory: keep data in process memory (demo, tests, trials; lost on restart). mongodb: requires MONGODB_URL. Unset: MONGODB_URL decides.',
    schema: oneOf(STORES),
  },
  CRUD_SERVICE_URL: {
    description:
      "Accepted from 2.x deployments, without effect: the original stored through Mia-Platform's CRUD Service at this URL; this service stores in MongoDB directly. Set without MONGODB_URL (and without STORE=memory), the service refuses to start and says to point MONGODB_URL at the database behind that CRUD Service.",
    schema: text,
  },
  CRUD_SERVICE: {
    description:
      'Accepted from 2.x deployments, without effect: the CRUD Service host name, as CRUD_SERVICE_URL.',
    schema: text,
  },
} as const satisfies VariableTable;

/** What STORE and MONGODB_URL resolve to. */
export type StoreBackend = { kind: 'mongodb'; url: string } | { kind: 'memory' };

/** `config.store` */
export interface StoreConfig {
  backend: StoreBackend;
  /** *_CRUD_NAME */
  collections: { teleconsultations: string; userIdMap: string; jobs: string; events: string };
}

/**
 * The store is an explicit choice: silently falling back to memory in production would lose
 * every teleconsultation on restart, so with neither variable the process refuses to start.
 */
export function chooseStore(
  store: ValuesOf<typeof STORE_VARIABLES>['STORE'],
  mongoUrl: string | undefined,
  crudService = false,
): { backend: StoreBackend } | { issue: EnvironmentIssue } {
  if (store === 'memory') {
    if (mongoUrl !== undefined) {
      return {
        issue: {
          path: 'STORE, MONGODB_URL',
          message:
            'STORE=memory and MONGODB_URL are both set; unset MONGODB_URL to keep data in memory, or unset STORE to use MongoDB',
        },
      };
    }
    return { backend: { kind: 'memory' } };
  }
  if (mongoUrl !== undefined) return { backend: { kind: 'mongodb', url: mongoUrl } };
  // A 2.x deployment of the original moved as it is: one line saying what to add, and where the
  // rest of the move is explained.
  if (crudService) {
    return {
      issue: {
        path: 'MONGODB_URL',
        message: `required: this service stores in MongoDB directly, not through the CRUD Service (CRUD_SERVICE_URL, CRUD_SERVICE); point MONGODB_URL at the database behind that CRUD Service (${MIGRATION_GUIDE})`,
      },
    };
  }
  if (store === 'mongodb') {
    return {
      issue: { path: 'MONGODB_URL', message: 'required when STORE=mongodb (a mongodb:// connection string)' },
    };
  }
  return {
    issue: {
      path: 'MONGODB_URL, STORE',
      message:
        'no store chosen: set MONGODB_URL to a mongodb:// connection string to use MongoDB, or STORE=memory to keep data in process memory (demo, tests, trials; lost on restart)',
    },
  };
}

export function storeSection(v: ValuesOf<typeof STORE_VARIABLES>, backend: StoreBackend): StoreConfig {
  return {
    backend,
    collections: {
      teleconsultations: v.TELECONSULTATIONS_CRUD_NAME,
      userIdMap: v.USER_ID_MAP_CRUD_NAME,
      jobs: v.JOBS_CRUD_NAME,
      events: v.EVENTS_CRUD_NAME,
    },
  };
}
