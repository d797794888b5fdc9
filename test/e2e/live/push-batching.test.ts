/**
 * Pushes a connection gets in one turn of the event loop leave in one write (#28, live lateness):
 * when a connection's subscriptions are woken together, their messages share a system call and
 * a TCP segment instead of taking one each.
 */
import { Socket } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { CreateTeleconsultationDocument, UpdateTeleconsultationDocument } from '../../generated/graphql.js';
import { doctor, inMinutes, patient, startTestGateway, type TestGateway } from '../../support/gateway.js';
import { type LiveClient, liveClient } from '../../support/live-client.js';

const SUBSCRIPTION = `subscription Live($id: ID!) {
  teleconsultationChanged(id: $id) { id startDate }
}`;

type Chunk = { chunk: unknown };
type WriteV = (this: Socket, chunks: Chunk[], callback: (error?: Error | null) => void) => void;
type Write = (
  this: Socket,
  chunk: unknown,
  encoding: BufferEncoding,
  callback: (error?: Error | null) => void,
) => void;

/** The writes of every TCP socket in this process that carry graphql-ws `next` messages, as counts of messages. */
function watchWrites(): { writes: number[]; stop: () => void } {
  const proto = Socket.prototype as unknown as { _writev: WriteV; _write: Write };
  const { _writev: writev, _write: write } = proto;
  const writes: number[] = [];
  const nextMessages = (chunks: unknown[]) =>
    chunks.reduce<number>((count, chunk) => count + (String(chunk).match(/"type":"next"/g)?.length ?? 0), 0);
  proto._writev = function (this: Socket, chunks, callback) {
    const count = nextMessages(chunks.map(({ chunk }) => chunk));
    if (count > 0) writes.push(count);
    writev.call(this, chunks, callback);
  };
  proto._write = function (this: Socket, chunk, encoding, callback) {
    const count = nextMessages([chunk]);
    if (count > 0) writes.push(count);
    write.call(this, chunk, encoding, callback);
  };
  return {
    writes,
    stop: () => {
      proto._writev = writev;
      proto._write = write;
    },
  };
}

describe("a connection's pushes of one turn", () => {
  let gateway: TestGateway;
  let client: LiveClient;

  beforeEach(async () => {
    gateway = await startTestGateway();
    client = liveClient(gateway.url, { headers: { miauserid: 'pat-1', miausergroups: 'customer' } });
  });
  afterEach(async () => {
    await client?.dispose();
    await gateway?.close();
  });

  it('leave in one write', async () => {
    const { createTeleconsultation: visit } = await gateway.ok(CreateTeleconsultationDocument, {
      input: {
        startDate: inMinutes(60),
        durationInSeconds: 1800,
        participants: [doctor('doc-1'), patient('pat-1')],
      },
    });
    // Three subscriptions to the visit on one connection: one change wakes all three at once.
    const streams = [1, 2, 3].map(() => client.subscribe(SUBSCRIPTION, { id: visit.id }));
    await Promise.all(streams.map((stream) => stream.waitFor(1)));

    const watch = watchWrites();
    try {
      await gateway.ok(UpdateTeleconsultationDocument, { id: visit.id, input: { startDate: inMinutes(90) } });
      const moved = await Promise.all(streams.map((stream) => stream.waitFor(2)));
      for (const [, second] of moved) {
        expect(second?.data).toEqual({ teleconsultationChanged: { id: visit.id, startDate: inMinutes(90) } });
      }
    } finally {
      watch.stop();
    }
    expect(watch.writes).toEqual([3]);
  });
});
