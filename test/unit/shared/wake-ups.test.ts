import { WakeUps } from '../../../src/shared/wake-ups.js';

/** One turn of the event loop: what a setImmediate queued before this one has run. */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A clock moved by hand and callbacks that note their name when they run. */
function setUp(perTurn: number) {
  let now = 1_000;
  const fired: string[] = [];
  const wakeUps = new WakeUps(() => now, 5, perTurn);
  let firstRan: () => void = () => {};
  // Settles in the microtasks right after the turn that ran the first callback, before the next turn.
  const firstTurn = new Promise<void>((resolve) => {
    firstRan = resolve;
  });
  const note = (name: string) => () => {
    fired.push(name);
    firstRan();
  };
  return {
    wakeUps,
    fired,
    note,
    firstTurn,
    moveTo: (at: number) => {
      now = at;
    },
  };
}

/** Waits until the timer (at most 5 ms: maxSleepMs) has noticed the clock moved and its turns ran. */
async function settle(fired: string[], count: number): Promise<void> {
  for (let i = 0; i < 200 && fired.length < count; i++) await new Promise((r) => setTimeout(r, 2));
}

describe('WakeUps', () => {
  it('runs callbacks once their instant is reached, not before', async () => {
    const { wakeUps, fired, note, moveTo } = setUp(64);
    wakeUps.at(2_000, note('a'));
    wakeUps.at(3_000, note('b'));
    await new Promise((r) => setTimeout(r, 20));
    expect(fired).toEqual([]);
    moveTo(2_000);
    await settle(fired, 1);
    await new Promise((r) => setTimeout(r, 20));
    expect(fired).toEqual(['a']);
    moveTo(3_000);
    await settle(fired, 2);
    expect(fired).toEqual(['a', 'b']);
    expect(wakeUps.size).toBe(0);
    wakeUps.stop();
  });

  it('runs at most perTurn callbacks per turn of the event loop, every due one in the end, in order', async () => {
    const { wakeUps, fired, note, moveTo, firstTurn } = setUp(3);
    const names = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
    for (const name of names) wakeUps.at(2_000, note(name));
    const later = wakeUps.at(9_000, note('later'));
    moveTo(2_000);
    await firstTurn;
    // The turn that fired the first three has ended; the next ones come a turn at a time.
    expect(fired).toEqual(['a', 'b', 'c']);
    await nextTurn();
    expect(fired).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    await nextTurn();
    expect(fired).toEqual(names);
    await new Promise((r) => setTimeout(r, 20));
    expect(fired).toEqual(names);
    later();
    expect(wakeUps.size).toBe(0);
  });

  it('goes on to the next turn without waiting for other I/O or timers', async () => {
    const { wakeUps, note, moveTo } = setUp(1);
    const last = new Promise<void>((resolve) => {
      for (let i = 0; i < 199; i++) wakeUps.at(2_000, note(String(i)));
      wakeUps.at(2_000, resolve);
    });
    moveTo(2_000);
    // 200 turns, nothing else scheduled between them: an unref'd next turn would wait in the
    // event loop's poll (for I/O that does not come) and this would time out.
    const started = performance.now();
    await last;
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('does not run a callback cancelled while it waited for its turn', async () => {
    const { wakeUps, fired, note, moveTo, firstTurn } = setUp(2);
    wakeUps.at(2_000, note('a'));
    wakeUps.at(2_000, note('b'));
    const cancelC = wakeUps.at(2_000, note('c'));
    wakeUps.at(2_000, note('d'));
    moveTo(2_000);
    await firstTurn;
    expect(fired).toEqual(['a', 'b']);
    cancelC();
    await nextTurn();
    await nextTurn();
    expect(fired).toEqual(['a', 'b', 'd']);
  });

  it('stop cancels the turns still to come', async () => {
    const { wakeUps, fired, note, moveTo, firstTurn } = setUp(1);
    wakeUps.at(2_000, note('a'));
    wakeUps.at(2_000, note('b'));
    moveTo(2_000);
    await firstTurn;
    wakeUps.stop();
    await nextTurn();
    await nextTurn();
    expect(fired).toEqual(['a']);
  });

  it('finds the due callbacks once per firing, not once per turn', async () => {
    // Every look for due callbacks reads the clock: 1,000 due in turns of 10 are 100 turns, and a
    // look per turn (through every callback, past those already run) would read it 100 times.
    let now = 1_000;
    let reads = 0;
    const wakeUps = new WakeUps(
      () => {
        reads += 1;
        return now;
      },
      5,
      10,
    );
    let ran = 0;
    const last = new Promise<void>((resolve) => {
      for (let i = 0; i < 999; i++) wakeUps.at(2_000, () => (ran += 1));
      wakeUps.at(2_000, resolve);
    });
    const readsBefore = reads;
    now = 2_000;
    await last;
    expect(ran).toBe(999);
    expect(reads - readsBefore).toBeLessThan(10);
    wakeUps.stop();
  });

  it('runs a callback that falls due while the turns run once they end', async () => {
    const { wakeUps, fired, note, moveTo } = setUp(2);
    for (const name of ['a', 'b', 'c']) {
      wakeUps.at(2_000, () => {
        note(name)();
        // Registered for an instant already past, as a subscriber pushed at the instant re-arms.
        if (name === 'a') wakeUps.at(1_500, note('late-registered'));
      });
    }
    moveTo(2_000);
    await settle(fired, 4);
    expect(fired).toEqual(['a', 'b', 'c', 'late-registered']);
    expect(wakeUps.size).toBe(0);
  });

  it('an earlier instant registered after a later one moves the timer forward', async () => {
    const fired: string[] = [];
    // The clock stays put and the timer sleeps up to a minute: only a timer moved forward fires.
    const wakeUps = new WakeUps(() => 1_000, 60_000, 64);
    wakeUps.at(50_000, () => fired.push('late'));
    wakeUps.at(1_000, () => fired.push('early'));
    await settle(fired, 1);
    expect(fired).toEqual(['early']);
    wakeUps.stop();
  });

  it('later: runs in a coming turn when nothing is due', async () => {
    const { wakeUps, fired, note } = setUp(2);
    wakeUps.later(note('deferred'));
    expect(fired).toEqual([]);
    await nextTurn();
    expect(fired).toEqual(['deferred']);
  });

  it('later: while due callbacks run in turns, runs after the last of them', async () => {
    const { wakeUps, fired, note, moveTo } = setUp(2);
    for (const name of ['a', 'b', 'c', 'd', 'e']) {
      // Each due callback defers work of its own, as a push defers recording its link.
      wakeUps.at(2_000, () => {
        note(name)();
        wakeUps.later(note(`${name}-after`));
      });
    }
    const done = new Promise<void>((resolve) => wakeUps.later(resolve));
    moveTo(2_000);
    await settle(fired, 10);
    await done;
    expect(fired).toEqual(['a', 'b', 'c', 'd', 'e', 'a-after', 'b-after', 'c-after', 'd-after', 'e-after']);
  });

  it('later: still runs when the turns it waited for are cancelled between turns', async () => {
    const { wakeUps, fired, note, moveTo, firstTurn } = setUp(1);
    wakeUps.at(2_000, () => {
      note('a')();
      // A push defers its record until the instant's last turn.
      wakeUps.later(note('a-after'));
    });
    const cancels = ['b', 'c'].map((name) => wakeUps.at(2_000, note(name)));
    moveTo(2_000);
    await firstTurn;
    // Before the next turn, every subscriber still waiting goes away (their sockets closed).
    for (const cancel of cancels) cancel();
    await settle(fired, 2);
    expect(fired).toEqual(['a', 'a-after']);
    expect(wakeUps.size).toBe(0);
  });
});
