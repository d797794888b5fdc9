import { registerEnumType } from 'type-graphql';

export enum TeleconsultationStatus {
  WAITING_FOR_PARTICIPANTS = 'WAITING_FOR_PARTICIPANTS',
  SCHEDULED = 'SCHEDULED',
  LOCKED = 'LOCKED',
  CANCELLED = 'CANCELLED',
}

registerEnumType(TeleconsultationStatus, {
  name: 'TeleconsultationStatus',
  valuesConfig: {
    WAITING_FOR_PARTICIPANTS: { description: 'Fewer participants known than expected: no room yet.' },
    SCHEDULED: { description: 'The room exists and can still be changed.' },
    LOCKED: { description: 'Inside the immutable period or started: join links are handed out.' },
    CANCELLED: { description: 'Deleted.' },
  },
});

export enum PrivilegeLevel {
  BASIC = 'BASIC',
  PLUS = 'PLUS',
}

registerEnumType(PrivilegeLevel, {
  name: 'PrivilegeLevel',
  description: 'PLUS participants are room admins.',
});
