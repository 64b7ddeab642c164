import { ServiceDefinition } from '../types';
import { attachedPolicyOperations } from './attachedPolicies';
import { boundaryOperations } from './boundaries';
import { queryServiceErrors } from '../../protocols/queryErrors';
import { iamErrors } from './errors';
import { inlinePolicyOperations } from './inlinePolicies';
import { policyOperations } from './policies';
import { roleOperations } from './roles';
import { roleTagOperations } from './roleTags';
import { describeIssue } from './validation';

export const IAM_NAMESPACE = 'https://iam.amazonaws.com/doc/2010-05-08/';

/**
 * IAM as the sandbox speaks it: roles with their trust, inline and attached
 * policies, tags and permissions boundaries, and customer managed policies with
 * their versions, each account's IAM apart from every other's. IAM is a global
 * service that the sandbox does not throttle.
 */
export const iamService: ServiceDefinition = {
  name: 'iam',
  throttled: false,
  operations: {
    ...roleOperations,
    ...roleTagOperations,
    ...inlinePolicyOperations,
    ...attachedPolicyOperations,
    ...boundaryOperations,
    ...policyOperations,
  },
  ...queryServiceErrors('2010-05-08'),
  invalidInput: (message, issue) =>
    iamErrors.validation(issue ? describeIssue(issue) : message),
};
