import { Field, ObjectType } from 'type-graphql';
import { Teleconsultation } from './teleconsultation.type.js';

@ObjectType({
  simpleResolvers: true,
  description: 'Where a page of a connection stands (Relay cursor connections).',
})
export class PageInfo {
  @Field(() => Boolean) hasNextPage!: boolean;
  @Field(() => Boolean, {
    description: 'Always false: pages go forward only (first/after), as the Relay specification allows.',
  })
  hasPreviousPage!: boolean;
  @Field(() => String, { nullable: true }) startCursor?: string | null;
  @Field(() => String, { nullable: true, description: 'Pass it as `after` for the next page.' })
  endCursor?: string | null;
}

@ObjectType({ simpleResolvers: true })
export class TeleconsultationEdge {
  @Field(() => String, { description: 'Opaque; stays valid while visits are added or changed.' })
  cursor!: string;
  @Field(() => Teleconsultation) node!: Teleconsultation;
}

@ObjectType({
  simpleResolvers: true,
  description: "A page of the caller's teleconsultations, by startDate then id.",
})
export class TeleconsultationConnection {
  @Field(() => [TeleconsultationEdge]) edges!: TeleconsultationEdge[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
}
