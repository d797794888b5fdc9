import { DateTimeResolver } from 'graphql-scalars';
import { Field, ObjectType } from 'type-graphql';

@ObjectType({
  simpleResolvers: true,
  description: 'Kaleyra Video SDK credentials for the caller (mobile SDKs).',
})
export class Credentials {
  @Field(() => String, { description: 'Access token for the Kaleyra Video SDK.' }) accessToken!: string;
  @Field(() => DateTimeResolver, { description: 'When the access token stops working.' }) expiresAt!: Date;
  @Field(() => String, { description: "The caller's Kaleyra user id." }) kaleyraUserId!: string;
}
