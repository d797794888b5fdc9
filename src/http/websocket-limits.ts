/**
 * What a WebSocket may hold, counted at admission: a socket is counted when its upgrade is let
 * through and a subscription when its `subscribe` is, both synchronously, before anything awaits.
 * Counting later (after a subscription's first read, say) lets a burst sent back to back pass
 * every limit before the first of it is counted. Each place is given back exactly once, on
 * whichever path ends it.
 */

/** What a socket is counted against: the process and its client address. */
export interface ConnectionBounds {
  /** WEBSOCKET_MAX_CONNECTIONS */
  maxConnections: number;
  /** WEBSOCKET_MAX_CONNECTIONS_PER_ADDRESS */
  maxConnectionsPerAddress: number;
}

/** An upgrade refused for lack of room: 429 for the address's bound, 503 for the process's. */
export interface UpgradeRefusal {
  status: 429 | 503;
  limit: number;
  message: string;
}

/** The TCP connection an upgrade arrived on (Node's net.Socket): it closes on every path. */
export interface UpgradeConnection {
  readonly destroyed: boolean;
  once(event: 'close', listener: () => void): unknown;
}

/**
 * The process's WebSocket connections, by client address, from the admitted upgrade until its
 * TCP connection closes (the socket's close, a failed handshake or a client that went away: the
 * TCP connection's `close` covers them all, so nothing can leak).
 */
export class WebsocketConnections {
  private total = 0;
  private readonly byAddress = new Map<string, number>();
  private readonly counted = new WeakSet<UpgradeConnection>();

  constructor(private readonly bounds: ConnectionBounds) {}

  /** Connections held now. */
  get open(): number {
    return this.total;
  }

  /** Connections held now by one address. */
  openFrom(address: string): number {
    return this.byAddress.get(address) ?? 0;
  }

  /** Counts the upgrade's connection in, or says why there is no room for it. */
  admit(address: string, connection: UpgradeConnection): UpgradeRefusal | undefined {
    // One TCP connection is one socket, however many upgrades it tries; a closed one holds nothing.
    if (this.counted.has(connection) || connection.destroyed) return undefined;
    const { maxConnections, maxConnectionsPerAddress } = this.bounds;
    const fromAddress = this.openFrom(address);
    if (fromAddress >= maxConnectionsPerAddress) {
      return {
        status: 429,
        limit: maxConnectionsPerAddress,
        message: `This address holds ${maxConnectionsPerAddress} WebSocket connections, the most one address may; close one or try again later.`,
      };
    }
    if (this.total >= maxConnections) {
      return {
        status: 503,
        limit: maxConnections,
        message: 'This server holds all the WebSocket connections it can; try again later.',
      };
    }
    this.total += 1;
    this.byAddress.set(address, fromAddress + 1);
    this.counted.add(connection);
    connection.once('close', () => {
      this.total -= 1;
      const left = this.openFrom(address) - 1;
      if (left > 0) this.byAddress.set(address, left);
      else this.byAddress.delete(address);
    });
    return undefined;
  }
}

/** SUBSCRIPTIONS_PER_PROCESS: places taken at admission, given back when a subscription ends. */
export class SubscriptionSlots {
  private taken = 0;

  constructor(readonly limit: number) {}

  /** Subscriptions admitted and not yet ended. */
  get held(): number {
    return this.taken;
  }

  /** Takes a place when one is free. Synchronous: nothing is admitted between the check and the count. */
  take(): boolean {
    if (this.taken >= this.limit) return false;
    this.taken += 1;
    return true;
  }

  release(): void {
    this.taken -= 1;
  }
}

/** Timers the idle watch runs on (the system's by default; unit tests drive their own). */
export interface SocketTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const systemTimers: SocketTimers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms).unref(),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** Which limit refused a subscription. */
export type SubscriptionRefusal = 'connection' | 'process';

/**
 * One socket's subscriptions: the ids holding a place of the process, and the idle watch — an
 * acknowledged socket holding no subscription for `idleTimeoutMs` is closed (`onIdle`). The watch
 * starts at the acknowledgement and again whenever the last subscription ends; refused subscribes
 * do not reset it.
 */
export class SocketSubscriptions {
  /**
   * Admissions held, by subscription id. An id may be held twice for a moment: a client may
   * complete a subscription and reuse its id before the first one has finished ending, and each
   * admission ends (and gives its place back) once.
   */
  private readonly ids = new Map<string, number>();
  private total = 0;
  private idleTimer: unknown = null;
  private acknowledged = false;
  private closed = false;

  constructor(
    private readonly slots: SubscriptionSlots,
    private readonly idle: { timeoutMs: number; onIdle: () => void; timers?: SocketTimers },
  ) {}

  /** Subscriptions of this socket admitted and not yet ended. */
  get size(): number {
    return this.total;
  }

  /** The connection was acknowledged: from now on, holding no subscription is being idle. */
  acknowledge(): void {
    if (this.closed) return;
    this.acknowledged = true;
    if (this.total === 0) this.watchIdle();
  }

  /**
   * Admits subscription `id`, holding a place of the socket (`perConnection`) and one of the
   * process, or says which limit refuses it.
   */
  admit(id: string, perConnection: number): SubscriptionRefusal | undefined {
    if (this.closed) return 'connection';
    if (this.total >= perConnection) return 'connection';
    if (!this.slots.take()) return 'process';
    this.ids.set(id, (this.ids.get(id) ?? 0) + 1);
    this.total += 1;
    this.stopIdleWatch();
    return undefined;
  }

  /** Subscription `id` ended (completed, failed, cancelled by the client): its place is free. */
  release(id: string): void {
    const held = this.ids.get(id);
    if (held === undefined) return;
    if (held > 1) this.ids.set(id, held - 1);
    else this.ids.delete(id);
    this.total -= 1;
    this.slots.release();
    if (this.total === 0 && this.acknowledged && !this.closed) this.watchIdle();
  }

  /** The socket closed: every place it held is free, and nothing watches it any more. */
  close(): void {
    this.closed = true;
    this.stopIdleWatch();
    for (const [id, held] of [...this.ids]) for (let n = 0; n < held; n++) this.release(id);
  }

  private watchIdle(): void {
    this.stopIdleWatch();
    const timers = this.idle.timers ?? systemTimers;
    this.idleTimer = timers.setTimeout(() => {
      this.idleTimer = null;
      if (!this.closed && this.total === 0) this.idle.onIdle();
    }, this.idle.timeoutMs);
  }

  private stopIdleWatch(): void {
    if (this.idleTimer === null) return;
    (this.idle.timers ?? systemTimers).clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }
}
