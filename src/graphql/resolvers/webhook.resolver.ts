import { Arg, Ctx, Int, Query, Resolver } from 'type-graphql';
import type { WebhookService } from '../../services/events/webhook.service.js';
import { type GatewayContext, scopeOf } from '../context.js';
import { DeliveryState } from '../types/enums.js';
import { WebhookDeliveryConnection } from '../types/event.type.js';
import { toDeliveryConnection } from './event.mapper.js';

/** Thin: the webhook deliveries, for the back office. */
@Resolver(() => WebhookDeliveryConnection)
export class WebhookResolver {
  constructor(private readonly deliveries: WebhookService) {}

  @Query(() => WebhookDeliveryConnection, {
    description:
      'Webhook deliveries, newest first: pending, delivered or dead, with attempts and the last status. Policy key webhookDeliveries (the back office by default).',
  })
  async webhookDeliveries(
    @Arg('state', () => DeliveryState, { nullable: true }) state: DeliveryState | null,
    @Arg('first', () => Int, { nullable: true, defaultValue: 20, description: 'At most 100.' }) first:
      | number
      | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() context: GatewayContext,
  ): Promise<WebhookDeliveryConnection> {
    return toDeliveryConnection(await this.deliveries.list(scopeOf(context), { state, first, after }));
  }
}
