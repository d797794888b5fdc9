import { buildSchema, isObjectType } from 'graphql';
import { buildGatewaySchema } from '../../../src/graphql/schema.js';
import { refuseIllFormedArguments } from '../../../src/graphql/well-formed-arguments.js';

const policies = { decide: async () => undefined };

describe('every argument of every field is checked for text that cannot travel', () => {
  it('guards each field with arguments under its policy key, the schema as it is built', async () => {
    const schema = await buildGatewaySchema(undefined, policies);
    const withArguments = Object.values(schema.getTypeMap())
      .filter(isObjectType)
      .filter((type) => !type.name.startsWith('__'))
      .flatMap((type) =>
        Object.values(type.getFields())
          .filter((field) => field.args.length > 0)
          .map((field) => `${type.name}.${field.name}`),
      );
    // A new field with arguments lands here (and must name its policy, or the build fails).
    expect(withArguments.sort()).toEqual([
      'Mutation.addParticipants',
      'Mutation.createCredentials',
      'Mutation.createTeleconsultation',
      'Mutation.deleteTeleconsultation',
      'Mutation.deleteTeleconsultationUploads',
      'Mutation.deleteVirtualBackground',
      'Mutation.updateCompanySettings',
      'Mutation.updateTeleconsultation',
      'Query.myTeleconsultations',
      'Query.teleconsultation',
      'Query.teleconsultationHistory',
      'Query.transcription',
      'Query.webhookDeliveries',
      'Subscription.teleconsultationChanged',
      'Teleconsultation.history',
    ]);
  });

  it('refuses to build a schema where a field with arguments names no policy', () => {
    const schema = buildSchema('type Query { notes(after: String): [String] }');
    expect(() => refuseIllFormedArguments(schema, policies)).toThrow(
      'Query.notes takes arguments but names no policy key',
    );
  });

  it('decides the policy before refusing, and refuses with the argument path', async () => {
    const schema = buildSchema('type Query { teleconsultation(id: ID!, tags: [String]): String }');
    const decisions: unknown[] = [];
    refuseIllFormedArguments(schema, {
      decide: async (_scope, operation, targetId) => {
        decisions.push({ operation, targetId });
      },
    });
    const field = schema.getQueryType()?.getFields().teleconsultation;
    const context = { caller: {}, headers: {}, logger: {}, deadline: undefined } as never;
    await expect(
      Promise.resolve(field?.resolve?.({}, { id: 'v-1', tags: ['a', 'b\ud800'] }, context, {} as never)),
    ).rejects.toMatchObject({ code: 'BAD_USER_INPUT', reason: 'ILL_FORMED_TEXT', field: ['tags', 1] });
    expect(decisions).toEqual([{ operation: 'teleconsultation', targetId: 'v-1' }]);

    const refusing = buildSchema('type Query { teleconsultation(id: ID!): String }');
    refuseIllFormedArguments(refusing, {
      decide: async () => {
        throw Object.assign(new Error('refused'), { code: 'FORBIDDEN' });
      },
    });
    const guarded = refusing.getQueryType()?.getFields().teleconsultation;
    await expect(
      Promise.resolve(guarded?.resolve?.({}, { id: '\ud800' }, context, {} as never)),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});
