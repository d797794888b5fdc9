/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** A date-time string at UTC, such as 2007-12-03T10:15:30Z, compliant with the `date-time` format outlined in section 5.6 of the RFC 3339 profile of the ISO 8601 standard for representation of dates and times using the Gregorian calendar. */
  DateTime: { input: string; output: string; }
  /** A field whose value is a hex color code: https://en.wikipedia.org/wiki/Web_colors. */
  HexColorCode: { input: string; output: string; }
  /** Integers that will have a value greater than 0. */
  PositiveInt: { input: number; output: number; }
  /** A field whose value conforms to the standard URL format as specified in RFC3986: https://www.ietf.org/rfc/rfc3986.txt. */
  URL: { input: string; output: string; }
};

export type CompanyLogo = {
  __typename?: 'CompanyLogo';
  url?: Maybe<Scalars['URL']['output']>;
};

export type CreateTeleconsultationInput = {
  /** At least 300 (five minutes). */
  durationInSeconds?: InputMaybe<Scalars['PositiveInt']['input']>;
  /** Exactly one of endDate and durationInSeconds. */
  endDate?: InputMaybe<Scalars['DateTime']['input']>;
  participants: Array<ParticipantInput>;
  /** Expected participants; defaults to the number given. */
  participantsNumber?: InputMaybe<Scalars['PositiveInt']['input']>;
  startDate: Scalars['DateTime']['input'];
};

export type Mutation = {
  __typename?: 'Mutation';
  /** Adds participants; the room is created once all are known. */
  addParticipants: Teleconsultation;
  createTeleconsultation: Teleconsultation;
  /** Cancels: deletes the Kaleyra room and keeps the record. */
  deleteTeleconsultation: Teleconsultation;
  /** Deletes files uploaded in the call (TELECONSULTATION_DELETE_UPLOADS). */
  deleteTeleconsultationUploads: UploadsDeletion;
  updateTeleconsultation: Teleconsultation;
};


export type MutationAddParticipantsArgs = {
  id: Scalars['ID']['input'];
  participants: Array<ParticipantInput>;
};


export type MutationCreateTeleconsultationArgs = {
  input: CreateTeleconsultationInput;
};


export type MutationDeleteTeleconsultationArgs = {
  id: Scalars['ID']['input'];
};


export type MutationDeleteTeleconsultationUploadsArgs = {
  id: Scalars['ID']['input'];
};


export type MutationUpdateTeleconsultationArgs = {
  id: Scalars['ID']['input'];
  input: UpdateTeleconsultationInput;
};

export type Participant = {
  __typename?: 'Participant';
  /** Only in the mode without an auth service. */
  fullName?: Maybe<Scalars['String']['output']>;
  groups: Array<Scalars['String']['output']>;
  kaleyraUserId?: Maybe<Scalars['String']['output']>;
  language?: Maybe<Scalars['String']['output']>;
  role: PrivilegeLevel;
  tools: Tools;
  /** The participant's id in our platform. */
  userId: Scalars['ID']['output'];
};

export type ParticipantInput = {
  /** Required when no AUTH_SERVICE is configured; ignored otherwise. */
  fullName?: InputMaybe<Scalars['String']['input']>;
  /** Required when no AUTH_SERVICE is configured; ignored otherwise. */
  groups?: InputMaybe<Array<Scalars['String']['input']>>;
  /** Join-link language: en, it, pl, fr, de or es. */
  language?: InputMaybe<Scalars['String']['input']>;
  /** The participant's id in our platform (receivedUserId). */
  userId: Scalars['ID']['input'];
};

/** PLUS participants are room admins. */
export type PrivilegeLevel =
  | 'BASIC'
  | 'PLUS';

export type PrivilegeProfile = {
  __typename?: 'PrivilegeProfile';
  groups: Array<Scalars['String']['output']>;
  tools: Tools;
};

export type Privileges = {
  __typename?: 'Privileges';
  basic: PrivilegeProfile;
  plus: PrivilegeProfile;
};

export type Query = {
  __typename?: 'Query';
  /** What the frontend needs to render a call: privileges, theme, logo, background groups. */
  serviceConfig: ServiceConfig;
  /** One teleconsultation, as seen by the caller. The caller must be one of its participants. */
  teleconsultation?: Maybe<Teleconsultation>;
};


export type QueryTeleconsultationArgs = {
  id: Scalars['ID']['input'];
  language?: InputMaybe<Scalars['String']['input']>;
  useBackground?: InputMaybe<Scalars['Boolean']['input']>;
};

/** The live Kaleyra room. */
export type RoomDetails = {
  __typename?: 'RoomDetails';
  callType?: Maybe<Scalars['String']['output']>;
  creationDate?: Maybe<Scalars['DateTime']['output']>;
  description?: Maybe<Scalars['String']['output']>;
  disabled?: Maybe<Scalars['Boolean']['output']>;
  durationInSeconds?: Maybe<Scalars['Int']['output']>;
  durationUsedInSeconds?: Maybe<Scalars['Int']['output']>;
  live?: Maybe<Scalars['Boolean']['output']>;
  recording?: Maybe<Scalars['String']['output']>;
  recordingStatus?: Maybe<Scalars['String']['output']>;
  status?: Maybe<Scalars['String']['output']>;
};

/** What the frontend needs to render a call. */
export type ServiceConfig = {
  __typename?: 'ServiceConfig';
  companyLogo?: Maybe<CompanyLogo>;
  /** sandbox | production, when configured. */
  environment?: Maybe<Scalars['String']['output']>;
  /** Users in these groups get a virtual background in their link. */
  groupsWithBackgroundList: Array<Scalars['String']['output']>;
  /** When configured. */
  mode?: Maybe<Scalars['String']['output']>;
  privileges: Privileges;
  theme?: Maybe<Theme>;
};

/** A video visit, as seen by the caller. */
export type Teleconsultation = {
  __typename?: 'Teleconsultation';
  /** The caller's own join link; null until locked. */
  accessLinkURL?: Maybe<Scalars['URL']['output']>;
  /** The live Kaleyra room, fetched only when selected. */
  details?: Maybe<RoomDetails>;
  durationInSeconds?: Maybe<Scalars['Int']['output']>;
  endDate?: Maybe<Scalars['DateTime']['output']>;
  id: Scalars['ID']['output'];
  /** now >= lockedFrom and the room exists. */
  locked: Scalars['Boolean']['output'];
  /** startDate - IMMUTABLE_PERIOD_MS. */
  lockedFrom: Scalars['DateTime']['output'];
  participants: Array<Participant>;
  participantsNumber: Scalars['Int']['output'];
  /** The Kaleyra room id; null until every participant is known. */
  roomId?: Maybe<Scalars['String']['output']>;
  startDate: Scalars['DateTime']['output'];
  status: TeleconsultationStatus;
};

export type TeleconsultationStatus =
  /** Deleted. */
  | 'CANCELLED'
  /** Inside the immutable period or started: join links are handed out. */
  | 'LOCKED'
  /** The room exists and can still be changed. */
  | 'SCHEDULED'
  /** Fewer participants known than expected: no room yet. */
  | 'WAITING_FOR_PARTICIPANTS';

export type Theme = {
  __typename?: 'Theme';
  dark?: Maybe<ThemeColors>;
  light?: Maybe<ThemeColors>;
};

export type ThemeColors = {
  __typename?: 'ThemeColors';
  accentColor: Scalars['HexColorCode']['output'];
  primaryColor: Scalars['HexColorCode']['output'];
};

/** In-call tools a privilege level may use. */
export type Tools = {
  __typename?: 'Tools';
  chat: Scalars['Boolean']['output'];
  fileUpload: Scalars['Boolean']['output'];
  liveEdit: Scalars['Boolean']['output'];
  livePointer: Scalars['Boolean']['output'];
  presentToEveryone: Scalars['Boolean']['output'];
  screenSharing: Scalars['Boolean']['output'];
  snapshot: Scalars['Boolean']['output'];
  whiteboard: Scalars['Boolean']['output'];
};

/** Every field is optional; participants replaces the list. */
export type UpdateTeleconsultationInput = {
  durationInSeconds?: InputMaybe<Scalars['PositiveInt']['input']>;
  endDate?: InputMaybe<Scalars['DateTime']['input']>;
  participants?: InputMaybe<Array<ParticipantInput>>;
  participantsNumber?: InputMaybe<Scalars['PositiveInt']['input']>;
  startDate?: InputMaybe<Scalars['DateTime']['input']>;
};

export type UploadsDeletion = {
  __typename?: 'UploadsDeletion';
  deleted: Scalars['Int']['output'];
  /** TELECONSULTATION_DELETE_UPLOADS is on. */
  enabled: Scalars['Boolean']['output'];
  total: Scalars['Int']['output'];
};

export type CreateTeleconsultationInput = {
  /** At least 300 (five minutes). */
  durationInSeconds?: number | null | undefined;
  /** Exactly one of endDate and durationInSeconds. */
  endDate?: string | null | undefined;
  participants: Array<ParticipantInput>;
  /** Expected participants; defaults to the number given. */
  participantsNumber?: number | null | undefined;
  startDate: string;
};

export type ParticipantInput = {
  /** Required when no AUTH_SERVICE is configured; ignored otherwise. */
  fullName?: string | null | undefined;
  /** Required when no AUTH_SERVICE is configured; ignored otherwise. */
  groups?: Array<string> | null | undefined;
  /** Join-link language: en, it, pl, fr, de or es. */
  language?: string | null | undefined;
  /** The participant's id in our platform (receivedUserId). */
  userId: string | number;
};

/** PLUS participants are room admins. */
export type PrivilegeLevel =
  | 'BASIC'
  | 'PLUS';

export type TeleconsultationStatus =
  /** Deleted. */
  | 'CANCELLED'
  /** Inside the immutable period or started: join links are handed out. */
  | 'LOCKED'
  /** The room exists and can still be changed. */
  | 'SCHEDULED'
  /** Fewer participants known than expected: no room yet. */
  | 'WAITING_FOR_PARTICIPANTS';

/** Every field is optional; participants replaces the list. */
export type UpdateTeleconsultationInput = {
  durationInSeconds?: number | null | undefined;
  endDate?: string | null | undefined;
  participants?: Array<ParticipantInput> | null | undefined;
  participantsNumber?: number | null | undefined;
  startDate?: string | null | undefined;
};

export type TeleconsultationFieldsFragment = { id: string, status: TeleconsultationStatus, startDate: string, endDate: string | null, durationInSeconds: number | null, lockedFrom: string, locked: boolean, participantsNumber: number, roomId: string | null, accessLinkURL: string | null, participants: Array<{ userId: string, kaleyraUserId: string | null, fullName: string | null, groups: Array<string>, language: string | null, role: PrivilegeLevel, tools: { chat: boolean, screenSharing: boolean, fileUpload: boolean, whiteboard: boolean, snapshot: boolean, liveEdit: boolean, livePointer: boolean, presentToEveryone: boolean } }> };

export type ServiceConfigQueryVariables = Exact<{ [key: string]: never; }>;


export type ServiceConfigQuery = { serviceConfig: { groupsWithBackgroundList: Array<string>, environment: string | null, mode: string | null, privileges: { basic: { groups: Array<string>, tools: { chat: boolean, screenSharing: boolean, fileUpload: boolean, whiteboard: boolean, snapshot: boolean, liveEdit: boolean, livePointer: boolean, presentToEveryone: boolean } }, plus: { groups: Array<string>, tools: { chat: boolean, screenSharing: boolean, fileUpload: boolean, whiteboard: boolean, snapshot: boolean, liveEdit: boolean, livePointer: boolean, presentToEveryone: boolean } } }, theme: { light: { primaryColor: string, accentColor: string } | null, dark: { primaryColor: string, accentColor: string } | null } | null, companyLogo: { url: string | null } | null } };

export type TeleconsultationQueryVariables = Exact<{
  id: string | number;
  language?: string | null | undefined;
  useBackground?: boolean | null | undefined;
}>;


export type TeleconsultationQuery = { teleconsultation: { id: string, status: TeleconsultationStatus, startDate: string, endDate: string | null, durationInSeconds: number | null, lockedFrom: string, locked: boolean, participantsNumber: number, roomId: string | null, accessLinkURL: string | null, participants: Array<{ userId: string, kaleyraUserId: string | null, fullName: string | null, groups: Array<string>, language: string | null, role: PrivilegeLevel, tools: { chat: boolean, screenSharing: boolean, fileUpload: boolean, whiteboard: boolean, snapshot: boolean, liveEdit: boolean, livePointer: boolean, presentToEveryone: boolean } }> } | null };

export type TeleconsultationWithDetailsQueryVariables = Exact<{
  id: string | number;
}>;


export type TeleconsultationWithDetailsQuery = { teleconsultation: { id: string, status: TeleconsultationStatus, details: { status: string | null, disabled: boolean | null, creationDate: string | null, durationInSeconds: number | null, durationUsedInSeconds: number | null, live: boolean | null, recording: string | null, recordingStatus: string | null, callType: string | null, description: string | null } | null } | null };

export type CreateTeleconsultationMutationVariables = Exact<{
  input: CreateTeleconsultationInput;
}>;


export type CreateTeleconsultationMutation = { createTeleconsultation: { id: string, status: TeleconsultationStatus, startDate: string, endDate: string | null, durationInSeconds: number | null, lockedFrom: string, locked: boolean, participantsNumber: number, roomId: string | null, accessLinkURL: string | null, participants: Array<{ userId: string, kaleyraUserId: string | null, fullName: string | null, groups: Array<string>, language: string | null, role: PrivilegeLevel, tools: { chat: boolean, screenSharing: boolean, fileUpload: boolean, whiteboard: boolean, snapshot: boolean, liveEdit: boolean, livePointer: boolean, presentToEveryone: boolean } }> } };

export type AddParticipantsMutationVariables = Exact<{
  id: string | number;
  participants: Array<ParticipantInput> | ParticipantInput;
}>;


export type AddParticipantsMutation = { addParticipants: { id: string, status: TeleconsultationStatus, startDate: string, endDate: string | null, durationInSeconds: number | null, lockedFrom: string, locked: boolean, participantsNumber: number, roomId: string | null, accessLinkURL: string | null, participants: Array<{ userId: string, kaleyraUserId: string | null, fullName: string | null, groups: Array<string>, language: string | null, role: PrivilegeLevel, tools: { chat: boolean, screenSharing: boolean, fileUpload: boolean, whiteboard: boolean, snapshot: boolean, liveEdit: boolean, livePointer: boolean, presentToEveryone: boolean } }> } };

export type UpdateTeleconsultationMutationVariables = Exact<{
  id: string | number;
  input: UpdateTeleconsultationInput;
}>;


export type UpdateTeleconsultationMutation = { updateTeleconsultation: { id: string, status: TeleconsultationStatus, startDate: string, endDate: string | null, durationInSeconds: number | null, lockedFrom: string, locked: boolean, participantsNumber: number, roomId: string | null, accessLinkURL: string | null, participants: Array<{ userId: string, kaleyraUserId: string | null, fullName: string | null, groups: Array<string>, language: string | null, role: PrivilegeLevel, tools: { chat: boolean, screenSharing: boolean, fileUpload: boolean, whiteboard: boolean, snapshot: boolean, liveEdit: boolean, livePointer: boolean, presentToEveryone: boolean } }> } };

export type DeleteTeleconsultationMutationVariables = Exact<{
  id: string | number;
}>;


export type DeleteTeleconsultationMutation = { deleteTeleconsultation: { id: string, status: TeleconsultationStatus, startDate: string, endDate: string | null, durationInSeconds: number | null, lockedFrom: string, locked: boolean, participantsNumber: number, roomId: string | null, accessLinkURL: string | null, participants: Array<{ userId: string, kaleyraUserId: string | null, fullName: string | null, groups: Array<string>, language: string | null, role: PrivilegeLevel, tools: { chat: boolean, screenSharing: boolean, fileUpload: boolean, whiteboard: boolean, snapshot: boolean, liveEdit: boolean, livePointer: boolean, presentToEveryone: boolean } }> } };

export type DeleteTeleconsultationUploadsMutationVariables = Exact<{
  id: string | number;
}>;


export type DeleteTeleconsultationUploadsMutation = { deleteTeleconsultationUploads: { enabled: boolean, total: number, deleted: number } };

export const TeleconsultationFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"TeleconsultationFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Teleconsultation"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"startDate"}},{"kind":"Field","name":{"kind":"Name","value":"endDate"}},{"kind":"Field","name":{"kind":"Name","value":"durationInSeconds"}},{"kind":"Field","name":{"kind":"Name","value":"lockedFrom"}},{"kind":"Field","name":{"kind":"Name","value":"locked"}},{"kind":"Field","name":{"kind":"Name","value":"participantsNumber"}},{"kind":"Field","name":{"kind":"Name","value":"roomId"}},{"kind":"Field","name":{"kind":"Name","value":"accessLinkURL"}},{"kind":"Field","name":{"kind":"Name","value":"participants"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"userId"}},{"kind":"Field","name":{"kind":"Name","value":"kaleyraUserId"}},{"kind":"Field","name":{"kind":"Name","value":"fullName"}},{"kind":"Field","name":{"kind":"Name","value":"groups"}},{"kind":"Field","name":{"kind":"Name","value":"language"}},{"kind":"Field","name":{"kind":"Name","value":"role"}},{"kind":"Field","name":{"kind":"Name","value":"tools"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"chat"}},{"kind":"Field","name":{"kind":"Name","value":"screenSharing"}},{"kind":"Field","name":{"kind":"Name","value":"fileUpload"}},{"kind":"Field","name":{"kind":"Name","value":"whiteboard"}},{"kind":"Field","name":{"kind":"Name","value":"snapshot"}},{"kind":"Field","name":{"kind":"Name","value":"liveEdit"}},{"kind":"Field","name":{"kind":"Name","value":"livePointer"}},{"kind":"Field","name":{"kind":"Name","value":"presentToEveryone"}}]}}]}}]}}]} as unknown as DocumentNode<TeleconsultationFieldsFragment, unknown>;
export const ServiceConfigDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ServiceConfig"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"serviceConfig"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"privileges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"basic"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"groups"}},{"kind":"Field","name":{"kind":"Name","value":"tools"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"chat"}},{"kind":"Field","name":{"kind":"Name","value":"screenSharing"}},{"kind":"Field","name":{"kind":"Name","value":"fileUpload"}},{"kind":"Field","name":{"kind":"Name","value":"whiteboard"}},{"kind":"Field","name":{"kind":"Name","value":"snapshot"}},{"kind":"Field","name":{"kind":"Name","value":"liveEdit"}},{"kind":"Field","name":{"kind":"Name","value":"livePointer"}},{"kind":"Field","name":{"kind":"Name","value":"presentToEveryone"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"plus"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"groups"}},{"kind":"Field","name":{"kind":"Name","value":"tools"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"chat"}},{"kind":"Field","name":{"kind":"Name","value":"screenSharing"}},{"kind":"Field","name":{"kind":"Name","value":"fileUpload"}},{"kind":"Field","name":{"kind":"Name","value":"whiteboard"}},{"kind":"Field","name":{"kind":"Name","value":"snapshot"}},{"kind":"Field","name":{"kind":"Name","value":"liveEdit"}},{"kind":"Field","name":{"kind":"Name","value":"livePointer"}},{"kind":"Field","name":{"kind":"Name","value":"presentToEveryone"}}]}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"theme"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"light"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"primaryColor"}},{"kind":"Field","name":{"kind":"Name","value":"accentColor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"dark"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"primaryColor"}},{"kind":"Field","name":{"kind":"Name","value":"accentColor"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"companyLogo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"url"}}]}},{"kind":"Field","name":{"kind":"Name","value":"groupsWithBackgroundList"}},{"kind":"Field","name":{"kind":"Name","value":"environment"}},{"kind":"Field","name":{"kind":"Name","value":"mode"}}]}}]}}]} as unknown as DocumentNode<ServiceConfigQuery, ServiceConfigQueryVariables>;
export const TeleconsultationDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Teleconsultation"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"language"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"useBackground"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Boolean"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"teleconsultation"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}},{"kind":"Argument","name":{"kind":"Name","value":"language"},"value":{"kind":"Variable","name":{"kind":"Name","value":"language"}}},{"kind":"Argument","name":{"kind":"Name","value":"useBackground"},"value":{"kind":"Variable","name":{"kind":"Name","value":"useBackground"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"TeleconsultationFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"TeleconsultationFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Teleconsultation"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"startDate"}},{"kind":"Field","name":{"kind":"Name","value":"endDate"}},{"kind":"Field","name":{"kind":"Name","value":"durationInSeconds"}},{"kind":"Field","name":{"kind":"Name","value":"lockedFrom"}},{"kind":"Field","name":{"kind":"Name","value":"locked"}},{"kind":"Field","name":{"kind":"Name","value":"participantsNumber"}},{"kind":"Field","name":{"kind":"Name","value":"roomId"}},{"kind":"Field","name":{"kind":"Name","value":"accessLinkURL"}},{"kind":"Field","name":{"kind":"Name","value":"participants"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"userId"}},{"kind":"Field","name":{"kind":"Name","value":"kaleyraUserId"}},{"kind":"Field","name":{"kind":"Name","value":"fullName"}},{"kind":"Field","name":{"kind":"Name","value":"groups"}},{"kind":"Field","name":{"kind":"Name","value":"language"}},{"kind":"Field","name":{"kind":"Name","value":"role"}},{"kind":"Field","name":{"kind":"Name","value":"tools"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"chat"}},{"kind":"Field","name":{"kind":"Name","value":"screenSharing"}},{"kind":"Field","name":{"kind":"Name","value":"fileUpload"}},{"kind":"Field","name":{"kind":"Name","value":"whiteboard"}},{"kind":"Field","name":{"kind":"Name","value":"snapshot"}},{"kind":"Field","name":{"kind":"Name","value":"liveEdit"}},{"kind":"Field","name":{"kind":"Name","value":"livePointer"}},{"kind":"Field","name":{"kind":"Name","value":"presentToEveryone"}}]}}]}}]}}]} as unknown as DocumentNode<TeleconsultationQuery, TeleconsultationQueryVariables>;
export const TeleconsultationWithDetailsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"TeleconsultationWithDetails"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"teleconsultation"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"details"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"disabled"}},{"kind":"Field","name":{"kind":"Name","value":"creationDate"}},{"kind":"Field","name":{"kind":"Name","value":"durationInSeconds"}},{"kind":"Field","name":{"kind":"Name","value":"durationUsedInSeconds"}},{"kind":"Field","name":{"kind":"Name","value":"live"}},{"kind":"Field","name":{"kind":"Name","value":"recording"}},{"kind":"Field","name":{"kind":"Name","value":"recordingStatus"}},{"kind":"Field","name":{"kind":"Name","value":"callType"}},{"kind":"Field","name":{"kind":"Name","value":"description"}}]}}]}}]}}]} as unknown as DocumentNode<TeleconsultationWithDetailsQuery, TeleconsultationWithDetailsQueryVariables>;
export const CreateTeleconsultationDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CreateTeleconsultation"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CreateTeleconsultationInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createTeleconsultation"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"TeleconsultationFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"TeleconsultationFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Teleconsultation"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"startDate"}},{"kind":"Field","name":{"kind":"Name","value":"endDate"}},{"kind":"Field","name":{"kind":"Name","value":"durationInSeconds"}},{"kind":"Field","name":{"kind":"Name","value":"lockedFrom"}},{"kind":"Field","name":{"kind":"Name","value":"locked"}},{"kind":"Field","name":{"kind":"Name","value":"participantsNumber"}},{"kind":"Field","name":{"kind":"Name","value":"roomId"}},{"kind":"Field","name":{"kind":"Name","value":"accessLinkURL"}},{"kind":"Field","name":{"kind":"Name","value":"participants"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"userId"}},{"kind":"Field","name":{"kind":"Name","value":"kaleyraUserId"}},{"kind":"Field","name":{"kind":"Name","value":"fullName"}},{"kind":"Field","name":{"kind":"Name","value":"groups"}},{"kind":"Field","name":{"kind":"Name","value":"language"}},{"kind":"Field","name":{"kind":"Name","value":"role"}},{"kind":"Field","name":{"kind":"Name","value":"tools"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"chat"}},{"kind":"Field","name":{"kind":"Name","value":"screenSharing"}},{"kind":"Field","name":{"kind":"Name","value":"fileUpload"}},{"kind":"Field","name":{"kind":"Name","value":"whiteboard"}},{"kind":"Field","name":{"kind":"Name","value":"snapshot"}},{"kind":"Field","name":{"kind":"Name","value":"liveEdit"}},{"kind":"Field","name":{"kind":"Name","value":"livePointer"}},{"kind":"Field","name":{"kind":"Name","value":"presentToEveryone"}}]}}]}}]}}]} as unknown as DocumentNode<CreateTeleconsultationMutation, CreateTeleconsultationMutationVariables>;
export const AddParticipantsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"AddParticipants"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"participants"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ParticipantInput"}}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"addParticipants"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}},{"kind":"Argument","name":{"kind":"Name","value":"participants"},"value":{"kind":"Variable","name":{"kind":"Name","value":"participants"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"TeleconsultationFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"TeleconsultationFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Teleconsultation"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"startDate"}},{"kind":"Field","name":{"kind":"Name","value":"endDate"}},{"kind":"Field","name":{"kind":"Name","value":"durationInSeconds"}},{"kind":"Field","name":{"kind":"Name","value":"lockedFrom"}},{"kind":"Field","name":{"kind":"Name","value":"locked"}},{"kind":"Field","name":{"kind":"Name","value":"participantsNumber"}},{"kind":"Field","name":{"kind":"Name","value":"roomId"}},{"kind":"Field","name":{"kind":"Name","value":"accessLinkURL"}},{"kind":"Field","name":{"kind":"Name","value":"participants"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"userId"}},{"kind":"Field","name":{"kind":"Name","value":"kaleyraUserId"}},{"kind":"Field","name":{"kind":"Name","value":"fullName"}},{"kind":"Field","name":{"kind":"Name","value":"groups"}},{"kind":"Field","name":{"kind":"Name","value":"language"}},{"kind":"Field","name":{"kind":"Name","value":"role"}},{"kind":"Field","name":{"kind":"Name","value":"tools"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"chat"}},{"kind":"Field","name":{"kind":"Name","value":"screenSharing"}},{"kind":"Field","name":{"kind":"Name","value":"fileUpload"}},{"kind":"Field","name":{"kind":"Name","value":"whiteboard"}},{"kind":"Field","name":{"kind":"Name","value":"snapshot"}},{"kind":"Field","name":{"kind":"Name","value":"liveEdit"}},{"kind":"Field","name":{"kind":"Name","value":"livePointer"}},{"kind":"Field","name":{"kind":"Name","value":"presentToEveryone"}}]}}]}}]}}]} as unknown as DocumentNode<AddParticipantsMutation, AddParticipantsMutationVariables>;
export const UpdateTeleconsultationDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"UpdateTeleconsultation"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"UpdateTeleconsultationInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"updateTeleconsultation"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}},{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"TeleconsultationFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"TeleconsultationFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Teleconsultation"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"startDate"}},{"kind":"Field","name":{"kind":"Name","value":"endDate"}},{"kind":"Field","name":{"kind":"Name","value":"durationInSeconds"}},{"kind":"Field","name":{"kind":"Name","value":"lockedFrom"}},{"kind":"Field","name":{"kind":"Name","value":"locked"}},{"kind":"Field","name":{"kind":"Name","value":"participantsNumber"}},{"kind":"Field","name":{"kind":"Name","value":"roomId"}},{"kind":"Field","name":{"kind":"Name","value":"accessLinkURL"}},{"kind":"Field","name":{"kind":"Name","value":"participants"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"userId"}},{"kind":"Field","name":{"kind":"Name","value":"kaleyraUserId"}},{"kind":"Field","name":{"kind":"Name","value":"fullName"}},{"kind":"Field","name":{"kind":"Name","value":"groups"}},{"kind":"Field","name":{"kind":"Name","value":"language"}},{"kind":"Field","name":{"kind":"Name","value":"role"}},{"kind":"Field","name":{"kind":"Name","value":"tools"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"chat"}},{"kind":"Field","name":{"kind":"Name","value":"screenSharing"}},{"kind":"Field","name":{"kind":"Name","value":"fileUpload"}},{"kind":"Field","name":{"kind":"Name","value":"whiteboard"}},{"kind":"Field","name":{"kind":"Name","value":"snapshot"}},{"kind":"Field","name":{"kind":"Name","value":"liveEdit"}},{"kind":"Field","name":{"kind":"Name","value":"livePointer"}},{"kind":"Field","name":{"kind":"Name","value":"presentToEveryone"}}]}}]}}]}}]} as unknown as DocumentNode<UpdateTeleconsultationMutation, UpdateTeleconsultationMutationVariables>;
export const DeleteTeleconsultationDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"DeleteTeleconsultation"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deleteTeleconsultation"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"TeleconsultationFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"TeleconsultationFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Teleconsultation"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"startDate"}},{"kind":"Field","name":{"kind":"Name","value":"endDate"}},{"kind":"Field","name":{"kind":"Name","value":"durationInSeconds"}},{"kind":"Field","name":{"kind":"Name","value":"lockedFrom"}},{"kind":"Field","name":{"kind":"Name","value":"locked"}},{"kind":"Field","name":{"kind":"Name","value":"participantsNumber"}},{"kind":"Field","name":{"kind":"Name","value":"roomId"}},{"kind":"Field","name":{"kind":"Name","value":"accessLinkURL"}},{"kind":"Field","name":{"kind":"Name","value":"participants"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"userId"}},{"kind":"Field","name":{"kind":"Name","value":"kaleyraUserId"}},{"kind":"Field","name":{"kind":"Name","value":"fullName"}},{"kind":"Field","name":{"kind":"Name","value":"groups"}},{"kind":"Field","name":{"kind":"Name","value":"language"}},{"kind":"Field","name":{"kind":"Name","value":"role"}},{"kind":"Field","name":{"kind":"Name","value":"tools"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"chat"}},{"kind":"Field","name":{"kind":"Name","value":"screenSharing"}},{"kind":"Field","name":{"kind":"Name","value":"fileUpload"}},{"kind":"Field","name":{"kind":"Name","value":"whiteboard"}},{"kind":"Field","name":{"kind":"Name","value":"snapshot"}},{"kind":"Field","name":{"kind":"Name","value":"liveEdit"}},{"kind":"Field","name":{"kind":"Name","value":"livePointer"}},{"kind":"Field","name":{"kind":"Name","value":"presentToEveryone"}}]}}]}}]}}]} as unknown as DocumentNode<DeleteTeleconsultationMutation, DeleteTeleconsultationMutationVariables>;
export const DeleteTeleconsultationUploadsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"DeleteTeleconsultationUploads"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deleteTeleconsultationUploads"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"enabled"}},{"kind":"Field","name":{"kind":"Name","value":"total"}},{"kind":"Field","name":{"kind":"Name","value":"deleted"}}]}}]}}]} as unknown as DocumentNode<DeleteTeleconsultationUploadsMutation, DeleteTeleconsultationUploadsMutationVariables>;