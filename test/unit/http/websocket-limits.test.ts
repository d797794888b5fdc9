import { EventEmitter } from 'node:events';
import {
  SocketSubscriptions,
  type SocketTimers,
  SubscriptionSlots,
  WebsocketConnections,
} from '../../../src/http/websocket-limits.js';

/** A TCP connection as the upgrade sees it: closes once, when told. */
class FakeConnection extends EventEmitter {
  destroyed = false;
  close(): void {
    this.destroyed = true;
    this.emit('close');
  }
}

/** Timers that fire only when the test says so. */
class FakeTimers implements SocketTimers {
  private timers = new Map<number, () => void>();
  private next = 0;
  setTimeout(callback: () => void): unknown {
    this.next += 1;
    this.timers.set(this.next, callback);
    return this.next;
  }
  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }
  get pending(): number {
    return this.timers.size;
  }
  fireAll(): void {
    const due = [...this.timers.values()];
    this.timers.clear();
    for (const callback of due) callback();
  }
}

describe('WebsocketConnections', () => {
  it('refuses an address over its bound (429) and the process over its own (503), the address first', () => {
    const connections = new WebsocketConnections({ maxConnections: 3, maxConnectionsPerAddress: 2 });
    expect(connections.admit('a', new FakeConnection())).toBeUndefined();
    expect(connections.admit('a', new FakeConnection())).toBeUndefined();
    expect(connections.admit('a', new FakeConnection())).toMatchObject({ status: 429, limit: 2 });
    expect(connections.admit('b', new FakeConnection())).toBeUndefined();
    expect(connections.admit('b', new FakeConnection())).toMatchObject({ status: 503, limit: 3 });
    expect(connections.admit('a', new FakeConnection())).toMatchObject({ status: 429 });
    expect(connections.open).toBe(3);
  });

  it('counts a connection out once, when it closes, and a connection only once however many upgrades it tries', () => {
    const connections = new WebsocketConnections({ maxConnections: 10, maxConnectionsPerAddress: 2 });
    const first = new FakeConnection();
    expect(connections.admit('a', first)).toBeUndefined();
    expect(connections.admit('a', first)).toBeUndefined();
    expect(connections.openFrom('a')).toBe(1);
    const second = new FakeConnection();
    connections.admit('a', second);
    first.close();
    first.emit('close');
    expect(connections.openFrom('a')).toBe(1);
    expect(connections.open).toBe(1);
    expect(connections.admit('a', new FakeConnection())).toBeUndefined();
    second.close();
    expect(connections.openFrom('a')).toBe(1);
  });

  it('counts nothing for a connection already closed', () => {
    const connections = new WebsocketConnections({ maxConnections: 1, maxConnectionsPerAddress: 1 });
    const gone = new FakeConnection();
    gone.destroyed = true;
    expect(connections.admit('a', gone)).toBeUndefined();
    expect(connections.open).toBe(0);
  });
});

describe('SocketSubscriptions', () => {
  const setup = (limit = 3, perConnection = 10) => {
    const slots = new SubscriptionSlots(limit);
    const timers = new FakeTimers();
    const idled: string[] = [];
    const socket = (name: string) =>
      new SocketSubscriptions(slots, { timeoutMs: 1000, onIdle: () => idled.push(name), timers });
    return { slots, timers, idled, socket, perConnection };
  };

  it('takes a place of the process at admission, synchronously, and refuses past either cap', () => {
    const { slots, socket } = setup(3);
    const a = socket('a');
    const b = socket('b');
    expect(['1', '2'].map((id) => a.admit(id, 2))).toEqual([undefined, undefined]);
    expect(a.admit('3', 2)).toBe('connection');
    expect(b.admit('1', 10)).toBeUndefined();
    expect(b.admit('2', 10)).toBe('process');
    expect(slots.held).toBe(3);
  });

  it('gives each admission back once: a release, a repeated release, the close', () => {
    const { slots, socket } = setup(3);
    const a = socket('a');
    a.admit('1', 10);
    a.admit('2', 10);
    a.release('1');
    a.release('1');
    a.release('unknown');
    expect(slots.held).toBe(1);
    // The close frees what is still held, even what graphql-ws never completes (a send that failed).
    a.close();
    expect(slots.held).toBe(0);
    a.release('2');
    expect(slots.held).toBe(0);
    expect(a.admit('3', 10)).toBe('connection');
    expect(slots.held).toBe(0);
  });

  it('keeps two admissions of one id apart (an id completed and reused before its end)', () => {
    const { slots, socket } = setup(3);
    const a = socket('a');
    a.admit('same', 10);
    a.admit('same', 10);
    expect(slots.held).toBe(2);
    a.release('same');
    expect(slots.held).toBe(1);
    a.release('same');
    expect(slots.held).toBe(0);
  });

  it('watches idleness from the acknowledgement and from the end of the last subscription, never while one is held', () => {
    const { timers, idled, socket } = setup();
    const a = socket('a');
    // Not yet acknowledged: the init timeout's business, not idleness.
    expect(timers.pending).toBe(0);
    a.acknowledge();
    expect(timers.pending).toBe(1);
    a.admit('1', 10);
    expect(timers.pending).toBe(0);
    a.admit('2', 10);
    a.release('1');
    expect(timers.pending).toBe(0);
    a.release('2');
    expect(timers.pending).toBe(1);
    timers.fireAll();
    expect(idled).toEqual(['a']);
  });

  it('does not call a closed socket idle, nor one that subscribed meanwhile', () => {
    const { timers, idled, socket } = setup();
    const a = socket('a');
    a.acknowledge();
    a.close();
    expect(timers.pending).toBe(0);
    const b = socket('b');
    b.acknowledge();
    // A refused subscribe (over a cap) holds nothing: b stays idle.
    expect(b.admit('1', 0)).toBe('connection');
    expect(timers.pending).toBe(1);
    timers.fireAll();
    expect(idled).toEqual(['b']);
  });
});
