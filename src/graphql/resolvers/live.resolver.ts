import { Arg, ID, type PubSub, Resolver, Root, type SubscribeResolverData, Subscription } from 'type-graphql';
import type { Privileges } from '../../domain/privileges.js';
import type { LiveService, LiveUpdate } from '../../services/live/live.service.js';
import { type GatewayContext, scopeOf } from '../context.js';
import { Teleconsultation } from '../types/teleconsultation.type.js';
import { toTeleconsultation } from './teleconsultation.mapper.js';

export interface TeleconsultationChangedArgs {
  id: string;
  language?: string | null;
  useBackground?: boolean | null;
}

/** What the subscription's root resolver gets: the view to send, or the error that ends the stream. */
type Pushed = Teleconsultation | { error: unknown };

/**
 * type-graphql insists on a PubSub as soon as a @Subscription exists, even one with its own
 * `subscribe`: this one is never used (live updates come from the event log).
 */
export const NO_PUBSUB: PubSub = {
  publish() {
    throw new Error('no PubSub: subscriptions follow the event log');
  },
  subscribe() {
    throw new Error('no PubSub: subscriptions follow the event log');
  },
};

/** Live updates of one visit, over graphql-ws (GET /graphql upgraded to a WebSocket). */
@Resolver(() => Teleconsultation)
export class LiveResolver {
  constructor(
    private readonly live: LiveService,
    private readonly privileges: Privileges,
  ) {}

  @Subscription(() => Teleconsultation, {
    description:
      "The caller's view of one teleconsultation, pushed at once, after every stored change, at the caller's canJoinFrom (the link arrives at the instant) and once more when cancelled, then the stream completes. Same policy as `teleconsultation`. Over the graphql-ws protocol at /graphql.",
    // Static: the resolver instance reaches it through the context the WebSocket handler builds.
    subscribe: ({
      args,
      context,
    }: SubscribeResolverData<unknown, TeleconsultationChangedArgs, GatewayContext>) => {
      if (!context.live) throw new Error('subscriptions are served over WebSocket only');
      return context.live.changes(args, context);
    },
  })
  teleconsultationChanged(
    @Root() pushed: Pushed,
    @Arg('id', () => ID) _id: string,
    @Arg('language', () => String, { nullable: true }) _language: string | null,
    @Arg('useBackground', () => Boolean, { nullable: true }) _useBackground: boolean | null,
  ): Teleconsultation {
    // The error ends the stream with the read's error, in the payload, as a query would show it.
    if ('error' in pushed) throw pushed.error;
    return pushed;
  }

  /** Runs `callback` after the pushes due now (LiveService.afterPushes). */
  afterPushes(callback: () => void): void {
    this.live.afterPushes(callback);
  }

  /** Opens the caller's stream: refused (the read's errors) before anything is sent. */
  async changes(args: TeleconsultationChangedArgs, context: GatewayContext): Promise<AsyncIterable<Pushed>> {
    const updates = await this.live.open(scopeOf(context), {
      id: args.id,
      language: args.language ?? null,
      useBackground: args.useBackground ?? null,
    });
    const privileges = this.privileges;
    const toPushed = (update: LiveUpdate): Pushed =>
      'view' in update ? toTeleconsultation(update.view, privileges) : { error: update.error };
    return {
      [Symbol.asyncIterator]: () => ({
        // A promise reaction rather than an async function: between pushes a subscriber holds no
        // suspended frame here (see mapEvents in compiled-execution.ts).
        next: () =>
          updates
            .next()
            .then(
              (result): IteratorResult<Pushed> =>
                result.done
                  ? { done: true, value: undefined }
                  : { done: false, value: toPushed(result.value) },
            ),
        return: async () => {
          await updates.return?.();
          return { done: true, value: undefined };
        },
      }),
    };
  }
}
