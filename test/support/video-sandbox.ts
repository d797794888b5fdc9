import type { KaleyraSandbox } from '../../dev/kaleyra-sandbox/sandbox.js';
import type { LivekitSandbox } from '../../dev/livekit-sandbox/sandbox.js';
import { roomServicePath } from '../../src/video/livekit/wire.js';
import type { TestGateway } from './gateway.js';

/**
 * One view of whichever video sandbox hosts a test gateway's rooms, so that one end-to-end suite
 * runs once per provider (test/e2e/lifecycle/every-provider/). A provider joins the suite with one
 * entry in `VIEWS` below: how its sandbox lists rooms, counts calls, injects the faults a test asks
 * for, and admits a participant with a link; then `startTestGateway({ provider })` starts it.
 */

export const VIDEO_PROVIDERS = ['kaleyra', 'livekit'] as const;
export type VideoProviderUnderTest = (typeof VIDEO_PROVIDERS)[number];

/** A room as its sandbox holds it; what a sandbox does not know is undefined. */
export interface SandboxRoomView {
  roomId: string;
  /**
   * How many participants the room takes: Kaleyra, the participants it was created for (only
   * they can join); LiveKit, its `maxParticipants`.
   */
  capacity: number;
  /**
   * The identities the room was created for (Kaleyra); undefined where the room does not know its
   * participants before they join (LiveKit).
   */
  invited: string[] | undefined;
}

/** A call to the provider's server API, in neutral words. */
export interface SandboxCall {
  op: 'createRoom' | 'deleteRoom' | 'listRooms' | 'other';
  /** The room a deletion names (and, on LiveKit, the room a creation names). */
  roomId?: string;
}

/** Who a link is checked for: the room and the participant's identity on the provider (`kaleyraUserId`). */
export interface LinkHolder {
  roomId: string;
  videoUserId: string;
}

export interface VideoSandboxView {
  readonly provider: VideoProviderUnderTest;
  /** The rooms the sandbox holds now. */
  roomIds(): string[];
  room(roomId: string): SandboxRoomView | undefined;
  /** Every call the gateway made to the provider since the last `clearRequests`, oldest first. */
  calls(): SandboxCall[];
  clearRequests(): void;
  /**
   * The next `times` room-creation requests are answered 503 (a provider that retries its
   * creations, LiveKit, spends several on one operation: use 'always' to make an operation fail).
   */
  failRoomCreations(times: number | 'always'): void;
  /** Room creations take effect, but their answer is lost (the connection drops). */
  loseRoomCreationAnswers(times: number | 'always'): void;
  /** Every call fails with 503 until `heal`. */
  outage(): void;
  /** Ends an outage and every other injected fault. */
  heal(): void;
  /** The next room deletion request fails with 503. */
  failNextDeletion(): void;
  /**
   * Whether this join link lets this participant into this room, as the provider would decide
   * now. Kaleyra: it is the personal link the sandbox issued to that user for that room. LiveKit:
   * the sandbox admits its token at the gateway's clock, into that room, as that identity (which
   * joins the room, as a browser would).
   */
  admits(link: string, holder: LinkHolder): Promise<boolean>;
}

type ViewFactory = (gateway: TestGateway) => VideoSandboxView;

const kaleyraView: ViewFactory = (gateway) => {
  const sandbox: KaleyraSandbox = gateway.sandbox;
  const ROOMS = '/v2/rooms';
  return {
    provider: 'kaleyra',
    roomIds: () => sandbox.rooms().map((room) => room.roomId),
    room(roomId) {
      const room = sandbox.rooms().find((candidate) => candidate.roomId === roomId);
      if (room === undefined) return undefined;
      const invited = room.participants.map((participant) => participant.userId);
      return { roomId, capacity: invited.length, invited };
    },
    calls: () =>
      sandbox.requests().map((request): SandboxCall => {
        if (request.method === 'POST' && request.path === ROOMS) return { op: 'createRoom' };
        if (request.method === 'GET' && request.path === ROOMS) return { op: 'listRooms' };
        const deleted = /^\/v2\/rooms\/([^/]+)$/.exec(request.path);
        if (request.method === 'DELETE' && deleted?.[1] !== undefined) {
          return { op: 'deleteRoom', roomId: decodeURIComponent(deleted[1]) };
        }
        return { op: 'other' };
      }),
    clearRequests: () => sandbox.clearRequests(),
    failRoomCreations: (times) => sandbox.injectFault({ method: 'POST', path: ROOMS, status: 503, times }),
    loseRoomCreationAnswers: (times) =>
      sandbox.injectFault({ method: 'POST', path: ROOMS, afterHandling: true, drop: true, times }),
    outage: () => sandbox.injectFault({ path: '*', status: 503, times: 'always' }),
    heal: () => sandbox.clearFaults(),
    failNextDeletion: () =>
      sandbox.injectFault({ method: 'DELETE', path: '/v2/rooms/:room_id', status: 503 }),
    admits: async (link, { roomId, videoUserId }) => {
      const room = sandbox.rooms().find((candidate) => candidate.roomId === roomId);
      const issued = room?.participants.find((participant) => participant.userId === videoUserId)?.url;
      return issued !== undefined && issued === link;
    },
  };
};

const livekitView: ViewFactory = (gateway) => {
  const sandbox: LivekitSandbox | undefined = gateway.livekit;
  if (sandbox === undefined) throw new Error("the gateway was not started with provider: 'livekit'");
  const path = (method: 'CreateRoom' | 'DeleteRoom') => `/${roomServicePath(method)}`;
  const nameIn = (body: unknown, field: 'name' | 'room') => {
    const value = (body as Record<string, unknown> | undefined)?.[field];
    return typeof value === 'string' ? value : undefined;
  };
  return {
    provider: 'livekit',
    roomIds: () => sandbox.rooms().map((room) => room.name),
    room(roomId) {
      const room = sandbox.rooms().find((candidate) => candidate.name === roomId);
      return room === undefined ? undefined : { roomId, capacity: room.maxParticipants, invited: undefined };
    },
    calls: () =>
      sandbox.requests().map((request): SandboxCall => {
        const roomId = nameIn(request.body, 'name') ?? nameIn(request.body, 'room');
        const withRoom = roomId === undefined ? {} : { roomId };
        if (request.method === 'CreateRoom') return { op: 'createRoom', ...withRoom };
        if (request.method === 'DeleteRoom') return { op: 'deleteRoom', ...withRoom };
        if (request.method === 'ListRooms') return { op: 'listRooms' };
        return { op: 'other' };
      }),
    clearRequests: () => sandbox.clearRequests(),
    failRoomCreations: (times) => sandbox.injectFault({ path: path('CreateRoom'), status: 503, times }),
    loseRoomCreationAnswers: (times) =>
      sandbox.injectFault({ path: path('CreateRoom'), afterHandling: true, drop: true, times }),
    outage: () => sandbox.injectFault({ path: '*', status: 503, times: 'always' }),
    heal: () => sandbox.clearFaults(),
    failNextDeletion: () => sandbox.injectFault({ path: path('DeleteRoom'), status: 503 }),
    admits: async (link, { roomId, videoUserId }) => {
      const token = new URL(link).searchParams.get('token');
      if (token === null) return false;
      try {
        const admitted = await sandbox.join(token);
        return admitted.grant.room === roomId && admitted.identity === videoUserId;
      } catch {
        return false;
      }
    },
  };
};

const VIEWS: Record<VideoProviderUnderTest, ViewFactory> = { kaleyra: kaleyraView, livekit: livekitView };

/** The view of the sandbox hosting the rooms of `gateway`'s new visits (its VIDEO_PROVIDER). */
export function videoSandboxOf(gateway: TestGateway): VideoSandboxView {
  const provider = gateway.config.video.provider;
  if (!(VIDEO_PROVIDERS as readonly string[]).includes(provider)) {
    throw new Error(`no sandbox view for the video provider ${provider}: add one to VIEWS`);
  }
  return VIEWS[provider as VideoProviderUnderTest](gateway);
}
