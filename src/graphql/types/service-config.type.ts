import { HexColorCodeResolver } from 'graphql-scalars';
import { Field, ObjectType } from 'type-graphql';
import { VideoCapability } from './enums.js';
import { URLScalar } from './url.scalar.js';

@ObjectType({ simpleResolvers: true, description: 'In-call tools a privilege level may use.' })
export class Tools {
  @Field(() => Boolean) chat!: boolean;
  @Field(() => Boolean) screenSharing!: boolean;
  @Field(() => Boolean) fileUpload!: boolean;
  @Field(() => Boolean) whiteboard!: boolean;
  @Field(() => Boolean) snapshot!: boolean;
  @Field(() => Boolean) liveEdit!: boolean;
  @Field(() => Boolean) livePointer!: boolean;
  @Field(() => Boolean) presentToEveryone!: boolean;
}

@ObjectType({ simpleResolvers: true })
export class PrivilegeProfile {
  @Field(() => [String]) groups!: string[];
  @Field(() => Tools) tools!: Tools;
}

@ObjectType({ simpleResolvers: true })
export class Privileges {
  @Field(() => PrivilegeProfile) basic!: PrivilegeProfile;
  @Field(() => PrivilegeProfile) plus!: PrivilegeProfile;
}

@ObjectType({ simpleResolvers: true })
export class ThemeColors {
  @Field(() => HexColorCodeResolver) primaryColor!: string;
  @Field(() => HexColorCodeResolver) accentColor!: string;
}

@ObjectType({ simpleResolvers: true })
export class Theme {
  @Field(() => ThemeColors, { nullable: true }) light?: ThemeColors | null;
  @Field(() => ThemeColors, { nullable: true }) dark?: ThemeColors | null;
}

@ObjectType({ simpleResolvers: true })
export class CompanyLogo {
  @Field(() => URLScalar, { nullable: true }) url?: string | null;
}

@ObjectType({
  simpleResolvers: true,
  description: 'The video provider that hosts the rooms of new visits (VIDEO_PROVIDER).',
})
export class VideoProviderInfo {
  @Field(() => String, {
    description: 'VIDEO_PROVIDER: kaleyra (default) or another provider of this build.',
  })
  name!: string;
  @Field(() => [VideoCapability], {
    description: 'What it offers; an operation needing another capability is refused (NOT_IMPLEMENTED).',
  })
  capabilities!: VideoCapability[];
}

@ObjectType({ simpleResolvers: true, description: 'What the frontend needs to render a call.' })
export class ServiceConfig {
  @Field(() => Privileges) privileges!: Privileges;
  @Field(() => Theme, { nullable: true }) theme?: Theme | null;
  @Field(() => CompanyLogo, { nullable: true }) companyLogo?: CompanyLogo | null;
  @Field(() => [String], { description: 'Users in these groups get a virtual background in their link.' })
  groupsWithBackgroundList!: string[];
  @Field(() => String, { nullable: true, description: 'sandbox | production, when configured.' })
  environment?: string | null;
  @Field(() => String, { nullable: true, description: 'When configured.' })
  mode?: string | null;
  @Field(() => VideoProviderInfo, {
    description:
      'The video provider of new visits and what it offers (a stored visit is always served by the provider that created its room).',
  })
  provider!: VideoProviderInfo;
}
