import type { DomainError } from '../errors.js';

/**
 * Who is calling, as the platform's API gateway tells us in headers (names configurable):
 * the id (`userIdPathInRequest`), the groups, the back-office flag and the client type.
 */
export interface Caller {
  id: string | null;
  /** From the groups header; null when it is absent (the auth service may then know them). */
  groups: readonly string[] | null;
  isBackoffice: boolean;
  clientType: string | null;
  /**
   * The identity headers were unusable (too many groups, …): every operation refuses the
   * request with this error before doing anything.
   */
  problem: DomainError | null;
}

export const ANONYMOUS: Caller = {
  id: null,
  groups: null,
  isBackoffice: false,
  clientType: null,
  problem: null,
};
