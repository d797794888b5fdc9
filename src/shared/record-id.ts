/**
 * The ids the stores hand out (teleconsultations, jobs, events): 24 lower-case hex digits, a
 * MongoDB ObjectId's text form in both stores. One pattern, also inside cursor formats.
 */
export const RECORD_ID_SOURCE = '[0-9a-f]{24}';
export const RECORD_ID_PATTERN = new RegExp(`^${RECORD_ID_SOURCE}$`);
