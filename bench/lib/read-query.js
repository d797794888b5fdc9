/**
 * The read the benchmark sends to the gateway and to the baseline alike: one teleconsultation
 * as a participant sees it, every scalar field and every participant with their tools.
 */

/** Header carrying the caller (the gateway's default USERID_HEADER_KEY). */
export const CALLER_HEADER = 'miauserid';

export const READ_QUERY = `query ReadTeleconsultation($id: ID!) {
  teleconsultation(id: $id) {
    id
    status
    startDate
    endDate
    durationInSeconds
    lockedFrom
    locked
    participantsNumber
    roomId
    accessLinkURL
    participants {
      userId
      kaleyraUserId
      fullName
      groups
      language
      role
      tools { chat screenSharing fileUpload whiteboard snapshot liveEdit livePointer presentToEveryone }
    }
  }
}`;

/** Every successful answer starts like this; anything else (errors, null) is a mismatch. */
export const READ_ANSWER_PREFIX = '{"data":{"teleconsultation":{"id":';

/** Seeded teleconsultations are this far into their hour, so the lock rule says LOCKED. */
export const STARTED_MS_AGO = 10 * 60_000;
export const DURATION_SECONDS = 3600;

/** How many ids a server hands the load generator; reads cycle through them. */
export const SAMPLE_IDS = 1000;

/**
 * Indexes of the records whose ids are handed out: all of them in a small store, an even spread
 * over a large one (so reads touch the whole store, not only its first entries).
 * @param {number} records
 * @returns {Set<number>}
 */
export function sampledIndexes(records) {
  const step = Math.max(1, Math.floor(records / SAMPLE_IDS));
  const picked = new Set();
  for (let n = 0; n < records && picked.size < SAMPLE_IDS; n += step) picked.add(n);
  return picked;
}

/**
 * The two participants of seeded record `n`, in the store's shape (the gateway) — the baseline
 * derives its pre-shaped answers from the same values.
 * @param {number} n
 */
export function seededParticipants(n) {
  return [
    {
      userId: `doctor-${n}`,
      videoUserId: `tg.doctor-${n}`,
      role: 'plus',
      accessLinkURL: `https://sandbox.video.kaleyra.local/rooms/room_bench_${n}?token=d${n}`,
      fullName: `Doctor ${n}`,
      groups: ['doctor'],
    },
    {
      userId: `patient-${n}`,
      videoUserId: `tg.patient-${n}`,
      role: 'basic',
      accessLinkURL: `https://sandbox.video.kaleyra.local/rooms/room_bench_${n}?token=p${n}`,
      fullName: `Patient ${n}`,
      groups: ['customer'],
      language: 'it',
    },
  ];
}

/** Who reads record `n` (a participant, so the gateway's rule lets them). */
export function callerOf(n) {
  return `patient-${n}`;
}
