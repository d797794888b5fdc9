/**
 * Scenario 6's subscribers: `users` graphql-ws connections (one per patient, identity in the
 * upgrade request's headers as the platform's gateway sets it), `perUser` subscriptions each, all
 * in this process. Each subscription notes when its join link arrived.
 */
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { CALLER_HEADER } from './read-query.js';

const SUBSCRIPTION = `subscription Live($id: ID!) {
  teleconsultationChanged(id: $id) { id status joinState accessLinkURL }
}`;

function socketFor(caller) {
  return class extends WebSocket {
    constructor(address, protocols) {
      super(address, protocols, { headers: { [CALLER_HEADER]: caller } });
    }
  };
}

/**
 * @param {{ url: string, visits: Array<{ id: string, caller: string }>, openConcurrency?: number }} options
 */
export async function openSubscribers({ url, visits, openConcurrency = 200 }) {
  const byCaller = new Map();
  for (const visit of visits) {
    const list = byCaller.get(visit.caller) ?? [];
    list.push(visit.id);
    byCaller.set(visit.caller, list);
  }
  /** @type {Array<{ id: string, firstAt: number | null, linkAt: number | null, errors: number }>} */
  const subscriptions = [];
  const clients = [];
  let firstsWaiting = 0;
  let onFirst = () => {};
  const callers = [...byCaller.keys()];
  for (let start = 0; start < callers.length; start += openConcurrency) {
    const batch = callers.slice(start, start + openConcurrency);
    await Promise.all(
      batch.map(async (caller) => {
        const client = createClient({
          url: `${url.replace(/^http/, 'ws')}/graphql`,
          webSocketImpl: socketFor(caller),
          retryAttempts: 0,
          lazy: false,
          keepAlive: 0,
          onNonLazyError: () => {},
        });
        clients.push(client);
        for (const id of byCaller.get(caller)) {
          const subscription = { id, firstAt: null, linkAt: null, errors: 0 };
          subscriptions.push(subscription);
          firstsWaiting += 1;
          client.subscribe(
            { query: SUBSCRIPTION, variables: { id } },
            {
              next: (result) => {
                const now = Date.now();
                if (result.errors) subscription.errors += 1;
                if (subscription.firstAt === null) {
                  subscription.firstAt = now;
                  firstsWaiting -= 1;
                  if (firstsWaiting === 0) onFirst();
                }
                if (subscription.linkAt === null && result.data?.teleconsultationChanged?.accessLinkURL) {
                  subscription.linkAt = now;
                }
              },
              error: () => {
                subscription.errors += 1;
              },
              complete: () => {},
            },
          );
        }
      }),
    );
  }
  if (firstsWaiting > 0) await new Promise((resolve) => (onFirst = resolve));
  return {
    subscriptions,
    /** Resolves once every subscription got its link, or after `timeoutMs`. */
    async linksArrived(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline && subscriptions.some((s) => s.linkAt === null)) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    async close() {
      await Promise.all(clients.map((client) => client.dispose()));
    },
  };
}
