import { describe, expect, it } from '@jest/globals';
import { FaultSchedule } from '../../../dev/kaleyra-sandbox/faults.js';

describe('FaultSchedule', () => {
  it('matches exact paths, :param segments and *', () => {
    const schedule = new FaultSchedule();
    schedule.add({ path: '/v2/rooms/:room_id', status: 500, times: 'always' });
    expect(schedule.take('GET', '/v2/rooms/r1')).toBeDefined();
    expect(schedule.take('GET', '/v2/rooms/r1/uploads')).toBeUndefined();
    expect(schedule.take('POST', '/v2/rooms')).toBeUndefined();
    schedule.clear();
    schedule.add({ path: 'v2/rooms', status: 500 });
    expect(schedule.take('POST', '/v2/rooms')).toBeDefined();
    schedule.add({ path: '*', status: 500 });
    expect(schedule.take('DELETE', '/v2/anything/at/all')).toBeDefined();
  });

  it('filters by method, case-insensitively', () => {
    const schedule = new FaultSchedule();
    schedule.add({ method: 'delete', path: '*', status: 500 });
    expect(schedule.take('GET', '/v2/rooms/r1')).toBeUndefined();
    expect(schedule.take('DELETE', '/v2/rooms/r1')).toBeDefined();
  });

  it('affects the next request by default, the next N with times, or every one with always', () => {
    const schedule = new FaultSchedule();
    schedule.add({ path: '*', status: 500 });
    expect(schedule.take('GET', '/x')).toBeDefined();
    expect(schedule.take('GET', '/x')).toBeUndefined();
    schedule.add({ path: '*', status: 500, times: 2 });
    expect(schedule.list()).toEqual([expect.objectContaining({ times: 2 })]);
    expect(schedule.take('GET', '/x')).toBeDefined();
    expect(schedule.take('GET', '/x')).toBeDefined();
    expect(schedule.take('GET', '/x')).toBeUndefined();
    schedule.add({ path: '*', status: 500, times: 'always' });
    for (let i = 0; i < 10; i += 1) expect(schedule.take('GET', '/x')).toBeDefined();
    expect(schedule.list()).toEqual([expect.objectContaining({ times: 'always' })]);
  });

  it('applies faults in the order they were injected', () => {
    const schedule = new FaultSchedule();
    schedule.add({ path: '*', status: 503 });
    schedule.add({ path: '*', status: 429 });
    expect(schedule.take('GET', '/x')?.status).toBe(503);
    expect(schedule.take('GET', '/x')?.status).toBe(429);
  });

  it('refuses malformed faults', () => {
    const schedule = new FaultSchedule();
    expect(() => schedule.add({ path: '*', times: 0 })).toThrow();
    expect(() => schedule.add({ path: '*', status: 42 })).toThrow();
    expect(() => schedule.add({ path: '*', unknown: true } as never)).toThrow();
  });
});
