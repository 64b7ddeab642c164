import {
  parsePolicyDocument,
  PolicyDocumentError,
} from '../../auth/policyDocument';
import { orgErrors } from './errors';
import { SERVICE_CONTROL_POLICY } from './policyStore';

/** The quotas and document rules of Organizations' policies, by policy type. */

// SCPs and RCPs hold at most 5,120 characters; the other types 10,000.
const CONTENT_LIMITS: Record<string, number> = {
  SERVICE_CONTROL_POLICY: 5120,
  RESOURCE_CONTROL_POLICY: 5120,
};
const DEFAULT_CONTENT_LIMIT = 10000;

// At most 5 SCPs (or RCPs) on one root, OU or account; 10 of the other types.
const ATTACHMENT_LIMITS: Record<string, number> = {
  SERVICE_CONTROL_POLICY: 5,
  RESOURCE_CONTROL_POLICY: 5,
};
const DEFAULT_ATTACHMENT_LIMIT = 10;

/** How many policies of one type an organization may have, AWS managed ones included. */
export const MAX_POLICIES_PER_TYPE = 1000;

export function maxAttachments(type: string): number {
  return ATTACHMENT_LIMITS[type] ?? DEFAULT_ATTACHMENT_LIMIT;
}

/** Types whose targets must keep one policy: SCPs, so that FullAWSAccess or a replacement stays. */
export function needsOneAttachment(type: string): boolean {
  return type === SERVICE_CONTROL_POLICY;
}

/**
 * Checks a policy document for its type: its size, then its syntax. An SCP must be
 * a policy (see `parsePolicyDocument`); other types are only checked to be JSON objects.
 * @throws ConstraintViolationException POLICY_CONTENT_LIMIT_EXCEEDED or MalformedPolicyDocumentException
 */
export function checkPolicyContent(type: string, content: string): void {
  const limit = CONTENT_LIMITS[type] ?? DEFAULT_CONTENT_LIMIT;
  if (content.length > limit) {
    throw orgErrors.constraint(
      'POLICY_CONTENT_LIMIT_EXCEEDED',
      `You attempted to create a policy that is larger than the maximum size (${limit} characters for ${type}).`,
    );
  }
  try {
    if (type === SERVICE_CONTROL_POLICY) {
      parsePolicyDocument(content);
      return;
    }
    const parsed = JSON.parse(content);
    if (
      typeof parsed !== 'object' ||
      parsed === null ||
      Array.isArray(parsed)
    ) {
      throw new PolicyDocumentError('the document must be a JSON object');
    }
  } catch (error) {
    throw orgErrors.malformedPolicyDocument(
      type,
      error instanceof PolicyDocumentError
        ? error.message
        : 'the document is not valid JSON',
    );
  }
}
