import { DateTimeResolver } from 'graphql-scalars';
import { Field, InputType, Int, ObjectType } from 'type-graphql';
import { URLScalar } from './url.scalar.js';

@ObjectType({
  simpleResolvers: true,
  description:
    'An image uploaded to Kaleyra to show behind participants (REST: POST /settings/background-image).',
})
export class VirtualBackground {
  @Field(() => String, {
    description: "Kaleyra's name for the image: what defaultBackgroundAlias refers to.",
  })
  alias!: string;
  @Field(() => URLScalar) url!: string;
  @Field(() => DateTimeResolver) createdAt!: Date;
}

@ObjectType({ simpleResolvers: true, description: "The company's settings on Kaleyra Video." })
export class CompanySettings {
  @Field(() => String) name!: string;
  @Field(() => String, { nullable: true, description: "The join links' language when a link names none." })
  defaultLanguage?: string | null;
  @Field(() => VirtualBackground, {
    nullable: true,
    description: 'What a join link with a background shows; without one, the camera is blurred.',
  })
  defaultBackground?: VirtualBackground | null;
  @Field(() => String, { nullable: true }) endCallRedirectUrl?: string | null;
  @Field(() => Int, { nullable: true }) endCallRedirectTimeoutMs?: number | null;
  @Field(() => String, { nullable: true }) userDetailsProviderUrl?: string | null;
}

@InputType({ description: 'Every field is optional; null clears a value.' })
export class CompanySettingsInput {
  @Field(() => String, { nullable: true, description: 'en, it, pl, fr, de or es.' })
  defaultLanguage?: string | null;
  @Field(() => String, {
    nullable: true,
    description:
      "An uploaded background's alias (see virtualBackgrounds); null removes the default background.",
  })
  defaultBackgroundAlias?: string | null;
  @Field(() => String, {
    nullable: true,
    description: 'An http(s) URL participants are sent to when the call ends.',
  })
  endCallRedirectUrl?: string | null;
  @Field(() => Int, { nullable: true, description: 'From 0 to 600000.' })
  endCallRedirectTimeoutMs?: number | null;
}
