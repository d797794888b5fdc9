import type { Clock } from '../domain/clock.js';
import type { TeleconsultationRules } from '../domain/settings.js';
import {
  isLocked,
  linkLanguage,
  lockedFrom,
  statusOf,
  type TeleconsultationStatus,
} from '../domain/teleconsultation.js';
import {
  type RecordSchedule,
  type StoredParticipant,
  scheduleOf,
  type TeleconsultationRecord,
} from '../domain/teleconsultation-record.js';
import { shapeJoinLink } from '../kaleyra/join-link.js';

export interface LinkOptions {
  language?: string | null;
  useBackground?: boolean | null;
}

/** A teleconsultation as one caller sees it. */
export interface TeleconsultationView {
  record: TeleconsultationRecord;
  /** The record's schedule (a legacy record's duration comes from its dates). */
  schedule: RecordSchedule;
  status: TeleconsultationStatus;
  locked: boolean;
  lockedFrom: Date;
  /** The caller's own participant entry, when the caller is a participant. */
  caller: StoredParticipant | null;
  /** The caller's own join link, only once locked. */
  accessLinkURL: string | null;
}

/** What a caller sees of a record at a given instant: status, lock, and their own join link. */
export class CallerViews {
  constructor(
    private readonly clock: Clock,
    private readonly rules: TeleconsultationRules,
    private readonly groupsWithBackgroundList: readonly string[],
  ) {}

  viewFor(
    record: TeleconsultationRecord,
    callerId: string | null,
    options: LinkOptions,
  ): TeleconsultationView {
    const now = this.clock.now();
    const { immutablePeriodMs } = this.rules;
    const caller = callerId ? (record.participants.find((p) => p.userId === callerId) ?? null) : null;
    const locked = record.state === 'active' && isLocked(record, immutablePeriodMs, now);
    return {
      record,
      schedule: scheduleOf(record),
      status: statusOf(record, immutablePeriodMs, now),
      locked,
      lockedFrom: lockedFrom(record.startDate, immutablePeriodMs),
      caller,
      accessLinkURL: locked && caller?.accessLinkURL ? this.joinLink(caller, options) : null,
    };
  }

  private joinLink(caller: StoredParticipant, options: LinkOptions): string {
    const language = options.language ? linkLanguage(options.language, ['language']) : caller.language;
    const useBackground =
      options.useBackground ??
      (caller.groups ?? []).some((group) => this.groupsWithBackgroundList.includes(group));
    return shapeJoinLink(caller.accessLinkURL as string, {
      ...(language ? { language } : {}),
      ...(useBackground ? { virtualBackground: 'blur' as const } : {}),
    });
  }
}
