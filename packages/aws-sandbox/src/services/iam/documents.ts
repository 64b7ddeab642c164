import { iamErrors } from './errors';

/**
 * What a policy document is for: a role's trust policy names who may assume the
 * role (a Principal), a permissions policy must not name one.
 */
export type PolicyUse = 'trust' | 'permissions';

const VERSIONS = ['2012-10-17', '2008-10-17'];

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Checks that a policy document has the form IAM accepts: a JSON object with a
 * known Version and one or more statements, each with an Effect and a Principal
 * exactly when it is a trust policy. The sandbox does not evaluate policies, so
 * the grammar of actions, resources and conditions is not checked.
 * @throws MalformedPolicyDocument
 */
export function checkPolicyDocument(text: string, use: PolicyUse): void {
  const malformed = iamErrors.malformedPolicyDocument;
  let policy: unknown;
  try {
    policy = JSON.parse(text);
  } catch {
    throw malformed('Syntax errors in policy.');
  }
  if (!isObject(policy)) throw malformed('Syntax errors in policy.');
  if (
    policy.Version !== undefined &&
    !VERSIONS.includes(policy.Version as string)
  ) {
    throw malformed('The policy failed legacy parsing');
  }
  if (policy.Statement === undefined)
    throw malformed('Missing required field Statement');
  const statements = Array.isArray(policy.Statement)
    ? policy.Statement
    : [policy.Statement];
  if (statements.length === 0 || !statements.every(isObject)) {
    throw malformed('Syntax errors in policy.');
  }
  for (const statement of statements) {
    if (statement.Effect === undefined)
      throw malformed('Missing required field Effect');
    if (statement.Effect !== 'Allow' && statement.Effect !== 'Deny') {
      throw malformed(`Invalid effect: ${String(statement.Effect)}`);
    }
    const namesPrincipal =
      'Principal' in statement || 'NotPrincipal' in statement;
    if (use === 'permissions' && namesPrincipal) {
      throw malformed('Policy document should not specify a principal.');
    }
    if (use === 'trust' && !namesPrincipal)
      throw malformed('Missing required field Principal');
  }
}

/** A policy's size as IAM's quotas count it: its characters other than whitespace. */
export function policySize(text: string): number {
  return text.replace(/\s/g, '').length;
}
