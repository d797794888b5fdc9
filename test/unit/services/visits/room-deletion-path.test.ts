/**
 * A room is deleted on its video provider in one place, which asks the store first whether a visit uses it
 * (src/services/visits/room-cleanup.ts, `deleteUnlessInUse`). Behaviour is pinned end to end in
 * test/e2e/cleanup/room-cleanup.test.ts ("a room a live record points to"); this keeps a second
 * path from appearing beside it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';

const SRC = new URL('../../../../src/', import.meta.url).pathname;

function sources(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

describe('the one path that deletes a room', () => {
  it('is in the room clean-up (and the end of a LiveKit room), each checking the store before it deletes', () => {
    // The video providers (src/video/) implement the call; everything else goes through the clean-up.
    const callers = sources(SRC)
      .filter((path) => !path.includes('/video/'))
      .filter((path) => /\.deleteRoom\(/.test(readFileSync(path, 'utf8')))
      .map((path) => path.slice(SRC.length));
    // Two callers, each reading the store first: the clean-up (a room no visit uses) and the end
    // of a room whose links gate only the first connection (LiveKit: the visit's last join window
    // has closed, so its room goes although the visit points to it).
    expect(callers).toEqual(['services/visits/room-cleanup.ts', 'services/visits/room-ending.ts']);
    const ending = readFileSync(join(SRC, 'services/visits/room-ending.ts'), 'utf8');
    expect(ending.match(/\.deleteRoom\(/g)).toHaveLength(1);
    const run = /async run\(job: JobRecord\)[^{]*\{([\s\S]*?)\n {2}\}/.exec(ending)?.[1] ?? '';
    const read = run.indexOf('this.deps.store.findByRoomId(roomId)');
    expect(read).toBeGreaterThanOrEqual(0);
    expect(read).toBeLessThan(run.indexOf('canJoinUntil('));
    expect(run.indexOf('canJoinUntil(')).toBeLessThan(run.indexOf('.deleteRoom('));

    const cleanup = readFileSync(join(SRC, 'services/visits/room-cleanup.ts'), 'utf8');
    expect(cleanup.match(/\.deleteRoom\(/g)).toHaveLength(1);
    const body = /private async deleteUnlessInUse\([^)]*roomId: string\)[^{]*\{([\s\S]*?)\n {2}\}/.exec(
      cleanup,
    )?.[1];
    expect(body).toBeDefined();
    const check = body?.indexOf('this.deps.store.isRoomInUse(roomId)') ?? -1;
    expect(check).toBeGreaterThanOrEqual(0);
    expect(check).toBeLessThan(body?.indexOf('.deleteRoom(') ?? -1);
  });
});
