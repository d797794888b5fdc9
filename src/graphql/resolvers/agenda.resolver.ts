import { DateTimeResolver } from 'graphql-scalars';
import { Arg, Ctx, Int, Query, Resolver } from 'type-graphql';
import type { Privileges } from '../../domain/privileges.js';
import {
  type AgendaService,
  DEFAULT_PAGE_SIZE,
  MAX_PAGE_SIZE,
} from '../../services/visits/agenda.service.js';
import { type GatewayContext, scopeOf } from '../context.js';
import { connectionComplexity, PAGE_SIZE_ARGUMENT } from '../limits/cost.js';
import { TeleconsultationConnection } from '../types/agenda.type.js';
import { TeleconsultationStatus } from '../types/enums.js';
import { forwardPageInfo } from './page-info.js';
import { toTeleconsultation } from './teleconsultation.mapper.js';

/** Thin: the caller's agenda, one service call. */
@Resolver(() => TeleconsultationConnection)
export class AgendaResolver {
  constructor(
    private readonly agenda: AgendaService,
    private readonly privileges: Privileges,
  ) {}

  @Query(() => TeleconsultationConnection, {
    description:
      "The caller's teleconsultations (those listing the caller as a participant) starting in [from, to), by startDate then id. Cancelled ones only when states asks for CANCELLED. Each node is the caller's view: their link, their window.",
    // A node's Kaleyra calls (details) count once per node the page may hold.
    complexity: (estimate) => connectionComplexity(estimate, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE),
  })
  async myTeleconsultations(
    @Arg('from', () => DateTimeResolver, { nullable: true }) from: Date | null,
    @Arg('to', () => DateTimeResolver, { nullable: true }) to: Date | null,
    @Arg('states', () => [TeleconsultationStatus], {
      nullable: true,
      description: 'Null or empty: every status but CANCELLED.',
    })
    states: TeleconsultationStatus[] | null,
    @Arg(PAGE_SIZE_ARGUMENT, () => Int, {
      nullable: true,
      defaultValue: DEFAULT_PAGE_SIZE,
      description: 'At most 100 (null: 20).',
    })
    first: number | null,
    @Arg('after', () => String, { nullable: true, description: 'The endCursor of the previous page.' })
    after: string | null,
    @Arg('language', () => String, { nullable: true }) language: string | null,
    @Arg('useBackground', () => Boolean, { nullable: true }) useBackground: boolean | null,
    @Ctx() context: GatewayContext,
  ): Promise<TeleconsultationConnection> {
    const page = await this.agenda.list(scopeOf(context), {
      from,
      to,
      states,
      first,
      after,
      language,
      useBackground,
    });
    return {
      edges: page.edges.map(({ cursor, view }) => ({
        cursor,
        node: toTeleconsultation(view, this.privileges),
      })),
      pageInfo: forwardPageInfo(page.edges, page),
    };
  }
}
