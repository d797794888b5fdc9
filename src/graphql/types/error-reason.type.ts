import { GraphQLEnumType } from 'graphql';
import { ERROR_REASONS } from '../../domain/error-reasons.js';

/**
 * Every `extensions.reason` an error may carry, published so schema-first clients can switch on
 * a type rather than a string. No field returns it: errors are not data. It joins the schema as
 * an extra type (see schema.ts).
 */
export const ErrorReasonEnum = new GraphQLEnumType({
  name: 'ErrorReason',
  description:
    'Machine-readable sub-reasons of errors, found in `extensions.reason` beside `extensions.code`. New values may be added.',
  values: Object.fromEntries(
    Object.entries(ERROR_REASONS).map(([reason, description]) => [reason, { value: reason, description }]),
  ),
});
