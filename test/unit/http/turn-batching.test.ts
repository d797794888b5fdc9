import { describe, expect, it } from '@jest/globals';
import { turnBatching } from '../../../src/http/graphql-ws.js';

/** A socket that records its corks and uncorks, as net.Socket counts them. */
function recordingSocket() {
  const calls: string[] = [];
  let corked = 0;
  return {
    calls,
    corked: () => corked,
    cork: () => {
      corked += 1;
      calls.push('cork');
    },
    uncork: () => {
      corked -= 1;
      calls.push('uncork');
    },
  };
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('messages sent to a socket in one turn leave in one write', () => {
  it('corks at the first message of a turn, once, and uncorks when the turn is over', async () => {
    const socket = recordingSocket();
    const batchThisTurn = turnBatching(socket);
    batchThisTurn();
    await Promise.resolve(); // later in the same turn: a microtask of another push
    batchThisTurn();
    batchThisTurn();
    expect(socket.calls).toEqual(['cork']);
    expect(socket.corked()).toBe(1);
    await nextTurn();
    expect(socket.calls).toEqual(['cork', 'uncork']);
    expect(socket.corked()).toBe(0);
  });

  it('writes before work queued for the next turn runs (the links recorded after an instant’s last push)', async () => {
    const socket = recordingSocket();
    const batchThisTurn = turnBatching(socket);
    let corkedWhenNextTurnRan: number | null = null;
    setImmediate(() => {
      corkedWhenNextTurnRan = socket.corked();
    });
    await Promise.resolve(); // a push's continuation
    batchThisTurn();
    await nextTurn();
    expect(corkedWhenNextTurnRan).toBe(0);
  });

  it('corks again in the next turn, and leaves an idle socket uncorked', async () => {
    const socket = recordingSocket();
    const batchThisTurn = turnBatching(socket);
    batchThisTurn();
    await nextTurn();
    await nextTurn();
    expect(socket.corked()).toBe(0);
    batchThisTurn();
    expect(socket.corked()).toBe(1);
    await nextTurn();
    expect(socket.calls).toEqual(['cork', 'uncork', 'cork', 'uncork']);
  });

  it('keeps each socket to its own turn', async () => {
    const one = recordingSocket();
    const two = recordingSocket();
    const batchOne = turnBatching(one);
    const batchTwo = turnBatching(two);
    batchOne();
    batchTwo();
    batchOne();
    expect([one.corked(), two.corked()]).toEqual([1, 1]);
    await nextTurn();
    expect([one.corked(), two.corked()]).toEqual([0, 0]);
  });
});
