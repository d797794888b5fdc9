/**
 * The one rule for a participant's display name, shared by GraphQL's `Participant.fullName` and
 * the REST read's `participantsBandyerCall`: the stored name when there is one; otherwise the auth
 * service's, asked once for all the participants that need it; null when nobody can say.
 */
import pino from 'pino';
import type { DirectoryUser, UserDirectory } from '../../../../src/identity/ports.js';
import { ParticipantNamesService } from '../../../../src/services/participants/participant-names.service.js';
import type { RequestScope } from '../../../../src/services/request-scope.js';

const scope = {
  caller: { id: 'doc', groups: [], isBackoffice: false, clientType: null, problem: null },
  headers: { authorization: 'Bearer t' },
  logger: pino({ level: 'silent' }),
} as unknown as RequestScope;

/** An auth service that knows the given users and records every lookup. */
function directory(users: Record<string, string>) {
  const lookups: string[][] = [];
  const service: UserDirectory = {
    async lookup(userIds) {
      lookups.push([...userIds]);
      const found = new Map<string, DirectoryUser>();
      for (const userId of userIds) {
        const fullName = users[userId];
        if (fullName !== undefined) found.set(userId, { userId, fullName, groups: [] });
      }
      return found;
    },
  };
  return { service, lookups };
}

describe('ParticipantNamesService', () => {
  it('without an auth service, shows stored names and null where none is stored, asking no one', async () => {
    const names = new ParticipantNamesService(null);
    const participants = [{ userId: 'doc', fullName: 'Grace Hopper' }, { userId: 'pat' }];
    expect(await names.fullNamesOf(scope, participants)).toEqual(['Grace Hopper', null]);
    expect(participants.map((p) => names.knownNameOf(p))).toEqual(['Grace Hopper', null]);
  });

  it('with an auth service, asks it once, for the participants without a stored name only', async () => {
    const auth = directory({ pat: 'Ada Lovelace', guest: 'Alan Turing', doc: 'Renamed' });
    const names = new ParticipantNamesService(auth.service);
    const participants = [
      { userId: 'doc', fullName: 'Grace Hopper' },
      { userId: 'pat' },
      { userId: 'guest' },
    ];
    expect(await names.fullNamesOf(scope, participants)).toEqual([
      'Grace Hopper',
      'Ada Lovelace',
      'Alan Turing',
    ]);
    expect(auth.lookups).toEqual([['pat', 'guest']]);
    // What GraphQL's resolver answers without a promise, and what it batches.
    expect(participants.map((p) => names.knownNameOf(p))).toEqual(['Grace Hopper', undefined, undefined]);
  });

  it('answers null for a user the auth service does not know or names with an empty string', async () => {
    const auth = directory({ blank: '' });
    const names = new ParticipantNamesService(auth.service);
    expect(await names.fullNamesOf(scope, [{ userId: 'gone' }, { userId: 'blank', fullName: null }])).toEqual(
      [null, null],
    );
  });

  it('does not call the auth service when every name is stored', async () => {
    const auth = directory({});
    const names = new ParticipantNamesService(auth.service);
    expect(await names.fullNamesOf(scope, [{ userId: 'doc', fullName: 'Grace Hopper' }])).toEqual([
      'Grace Hopper',
    ]);
    expect(auth.lookups).toEqual([]);
  });
});
