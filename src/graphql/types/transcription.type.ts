import { DateTimeResolver } from 'graphql-scalars';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';

export enum TranscriptionStatus {
  NONE = 'NONE',
  PROCESSING = 'PROCESSING',
  COMPLETED = 'COMPLETED',
  FAILED = 'FAILED',
}

registerEnumType(TranscriptionStatus, {
  name: 'TranscriptionStatus',
  description: "What became of a session's transcription on Kaleyra.",
  valuesConfig: {
    NONE: { description: 'None was made.' },
    PROCESSING: { description: 'Being made: `transcription` answers CONFLICT (TRANSCRIPTION_NOT_READY).' },
    COMPLETED: { description: 'Ready: `transcription` returns it.' },
    FAILED: { description: 'Kaleyra could not make it: there is none to read.' },
  },
});

@ObjectType({ description: "One meeting in the visit's Kaleyra room: each time its participants met." })
export class TeleconsultationSession {
  @Field(() => ID, { description: "Kaleyra's session id: what `transcription(sessionId)` takes." })
  id!: string;
  @Field(() => DateTimeResolver) startedAt!: Date;
  @Field(() => DateTimeResolver, { nullable: true, description: 'Null while it goes on.' })
  endedAt?: Date | null;
  @Field(() => TranscriptionStatus) transcriptionStatus!: TranscriptionStatus;
}
