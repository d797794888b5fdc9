/**
 * The baseline: Fastify + Apollo Server 5, the same framework options as the gateway, a plain
 * SDL schema with the gateway's `teleconsultation(id)` shape, answered from a Map of pre-shaped
 * objects. No rules, no clock, no copies, no logging: what the stack costs on its own.
 */
import { randomBytes } from 'node:crypto';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import fastifyApollo, { fastifyApolloDrainPlugin } from '@as-integrations/fastify';
import Fastify from 'fastify';
import {
  callerOf,
  DURATION_SECONDS,
  READ_ANSWER_PREFIX,
  STARTED_MS_AGO,
  sampledIndexes,
  seededParticipants,
} from '../lib/read-query.js';
import { runnerOptions, serveRunner } from './child-protocol.js';

const typeDefs = `#graphql
  enum TeleconsultationStatus { WAITING_FOR_PARTICIPANTS SCHEDULED LOCKED CANCELLED }
  enum PrivilegeLevel { BASIC PLUS }
  type Tools {
    chat: Boolean!
    screenSharing: Boolean!
    fileUpload: Boolean!
    whiteboard: Boolean!
    snapshot: Boolean!
    liveEdit: Boolean!
    livePointer: Boolean!
    presentToEveryone: Boolean!
  }
  type Participant {
    userId: ID!
    kaleyraUserId: String
    fullName: String
    groups: [String!]!
    language: String
    role: PrivilegeLevel!
    tools: Tools!
  }
  type Teleconsultation {
    id: ID!
    status: TeleconsultationStatus!
    startDate: String!
    endDate: String
    durationInSeconds: Int
    lockedFrom: String!
    locked: Boolean!
    participantsNumber: Int!
    participants: [Participant!]!
    roomId: String
    accessLinkURL: String
  }
  type Query {
    teleconsultation(id: ID!, language: String, useBackground: Boolean): Teleconsultation
  }
`;

const ALL_TOOLS = {
  chat: true,
  screenSharing: true,
  fileUpload: true,
  whiteboard: true,
  snapshot: true,
  liveEdit: true,
  livePointer: true,
  presentToEveryone: true,
};

const options = runnerOptions();
const records = Number(options.records ?? 100);
const now = Date.now();
const startDate = new Date(now - STARTED_MS_AGO);
const endDate = new Date(startDate.getTime() + DURATION_SECONDS * 1000);

/** @type {Map<string, object>} */
const teleconsultations = new Map();
const sample = sampledIndexes(records);
/** @type {Array<{ id: string, caller: string }>} */
const reads = [];
for (let n = 0; n < records; n++) {
  const id = randomBytes(12).toString('hex');
  const participants = seededParticipants(n);
  teleconsultations.set(id, {
    id,
    status: 'LOCKED',
    startDate: startDate.toISOString(),
    endDate: endDate.toISOString(),
    durationInSeconds: DURATION_SECONDS,
    lockedFrom: startDate.toISOString(),
    locked: true,
    participantsNumber: participants.length,
    roomId: `room_bench_${n}`,
    // The answer the gateway gives its caller (patient-n, language it) for the same record.
    accessLinkURL: `${participants[1].accessLinkURL}&language=it`,
    participants: participants.map((p) => ({
      userId: p.userId,
      kaleyraUserId: p.videoUserId,
      fullName: p.fullName,
      groups: p.groups,
      language: p.language ?? null,
      role: p.role === 'plus' ? 'PLUS' : 'BASIC',
      tools: { ...ALL_TOOLS },
    })),
  });
  if (sample.has(n)) reads.push({ id, caller: callerOf(n) });
}

const fastify = Fastify({ logger: false, return503OnClosing: true, forceCloseConnections: 'idle' });
const apollo = new ApolloServer({
  typeDefs,
  resolvers: { Query: { teleconsultation: (_root, { id }) => teleconsultations.get(id) ?? null } },
  csrfPrevention: true,
  allowBatchedHttpRequests: false,
  introspection: false,
  plugins: [fastifyApolloDrainPlugin(fastify), ApolloServerPluginLandingPageDisabled()],
});
await apollo.start();
await fastify.register(fastifyApollo(apollo), { path: '/graphql' });
const url = await fastify.listen({ host: '127.0.0.1', port: 0 });

serveRunner({ stop: () => fastify.close() });
process.send?.({ type: 'ready', url, reads, records, answerPrefix: READ_ANSWER_PREFIX });
