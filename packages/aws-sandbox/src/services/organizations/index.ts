import { ZodIssue } from 'zod';
import { AwsError } from '../../errors';
import { ServiceDefinition } from '../types';
import { accountCreationOperations } from './accountCreation';
import { accountOperations } from './accounts';
import { orgErrors } from './errors';
import { policyOperations } from './policies';
import { policyAttachmentOperations } from './policyAttachments';
import { policyTypeOperations } from './policyTypes';
import { structureOperations } from './structure';
import { taggingOperations } from './tagging';

/** The InvalidInputException reason AWS gives for a broken rule of the API model. */
function reasonFor(issue: ZodIssue | undefined): string {
  switch (issue?.code) {
    case 'invalid_type':
      return issue.received === 'undefined'
        ? 'INPUT_REQUIRED'
        : 'INVALID_INPUT';
    case 'invalid_enum_value':
      return 'INVALID_ENUM';
    case 'too_big':
      return issue.type === 'string'
        ? 'MAX_LENGTH_EXCEEDED'
        : 'MAX_VALUE_EXCEEDED';
    case 'too_small':
      return issue.type === 'string'
        ? 'MIN_LENGTH_EXCEEDED'
        : 'MIN_VALUE_EXCEEDED';
    case 'invalid_string':
      return 'INVALID_PATTERN';
    default:
      return 'INVALID_INPUT';
  }
}

/** AWS Organizations, in the JSON 1.1 protocol. */
export const organizationsService: ServiceDefinition = {
  name: 'organizations',
  throttled: true,
  operations: {
    ...structureOperations,
    ...accountCreationOperations,
    ...accountOperations,
    ...taggingOperations,
    ...policyTypeOperations,
    ...policyOperations,
    ...policyAttachmentOperations,
  },
  unknownOperation: name =>
    new AwsError(
      'UnknownOperationException',
      `The operation ${name} is not supported.`,
    ),
  invalidInput: (message, issue) =>
    orgErrors.invalidInput(reasonFor(issue), message),
  unknownCredentials: () =>
    new AwsError(
      'UnrecognizedClientException',
      'The security token included in the request is invalid.',
    ),
  expiredCredentials: () =>
    new AwsError(
      'ExpiredTokenException',
      'The security token included in the request is expired',
    ),
  throttledError: () =>
    new AwsError('TooManyRequestsException', 'Rate exceeded', 400, {
      Type: 'TooManyRequestsException',
    }),
};
