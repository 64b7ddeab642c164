import { PolicyStatement } from './policyDocument';

/**
 * How service control policies decide a call, as AWS evaluates them: a Deny statement
 * that matches, at any level, blocks the call; otherwise every level (the root, each
 * OU on the account's path, the account) needs at least one attached policy with an
 * Allow statement that matches.
 *
 * What the sandbox evaluates, and what it does not:
 * - `Action` and `NotAction`, with `*` and `?` wildcards, case-insensitively.
 * - `Resource` and `NotResource` are not evaluated: every statement matches every resource.
 * - `Condition`: the operators StringEquals, StringNotEquals, StringEqualsIgnoreCase,
 *   StringNotEqualsIgnoreCase, StringLike, StringNotLike, ArnEquals, ArnNotEquals,
 *   ArnLike and ArnNotLike (and their IfExists forms) on the key `aws:PrincipalArn`.
 *   A statement with any other operator or key is treated as not matching: such a Deny
 *   blocks nothing and such an Allow allows nothing.
 */
export type ScpDecision = 'allowed' | 'explicit-deny' | 'no-allow';

export interface ScpRequest {
  /** `service:Operation`, such as `iam:CreateRole`. */
  action: string;
  /** aws:PrincipalArn: a user's ARN, or the role ARN of an assumed-role session. */
  principalArn: string;
}

const patternCache = new Map<string, RegExp>();

function wildcardToRegex(c: string): string {
  if (c === '*') return '.*';
  if (c === '?') return '.';
  return c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
}

/** Whether `value` matches a pattern with `*` (any run of characters) and `?` (one character). */
export function wildcardMatch(
  pattern: string,
  value: string,
  ignoreCase = false,
): boolean {
  const key = `${ignoreCase ? 'i' : 's'}${pattern}`;
  let regex = patternCache.get(key);
  if (!regex) {
    const body = pattern.split('').map(wildcardToRegex).join('');
    regex = new RegExp(`^${body}$`, ignoreCase ? 'is' : 's');
    patternCache.set(key, regex);
  }
  return regex.test(value);
}

/** ArnLike and ArnEquals compare each of the six colon-separated parts, wildcards included. */
function arnMatch(pattern: string, arn: string): boolean {
  const split = (value: string) => {
    const parts = value.split(':');
    return parts.length < 6
      ? undefined
      : [...parts.slice(0, 5), parts.slice(5).join(':')];
  };
  const patternParts = split(pattern);
  const arnParts = split(arn);
  if (!patternParts || !arnParts) return false;
  return patternParts.every((part, i) => wildcardMatch(part, arnParts[i]));
}

type Matcher = (pattern: string, value: string) => boolean;

const OPERATORS: Record<string, { match: Matcher; negated: boolean }> = {
  StringEquals: { match: (p, v) => p === v, negated: false },
  StringNotEquals: { match: (p, v) => p === v, negated: true },
  StringEqualsIgnoreCase: {
    match: (p, v) => p.toLowerCase() === v.toLowerCase(),
    negated: false,
  },
  StringNotEqualsIgnoreCase: {
    match: (p, v) => p.toLowerCase() === v.toLowerCase(),
    negated: true,
  },
  StringLike: { match: (p, v) => wildcardMatch(p, v), negated: false },
  StringNotLike: { match: (p, v) => wildcardMatch(p, v), negated: true },
  ArnEquals: { match: arnMatch, negated: false },
  ArnNotEquals: { match: arnMatch, negated: true },
  ArnLike: { match: arnMatch, negated: false },
  ArnNotLike: { match: arnMatch, negated: true },
};

const EVALUATED_KEYS = new Set(['aws:principalarn']);

function conditionsHold(
  conditions: PolicyStatement['conditions'],
  request: ScpRequest,
): boolean {
  return Object.entries(conditions).every(([rawOperator, block]) => {
    // The key is always present, so IfExists changes nothing.
    const operator = OPERATORS[rawOperator.replace(/IfExists$/, '')];
    if (!operator) return false;
    return Object.entries(block).every(([key, values]) => {
      if (!EVALUATED_KEYS.has(key.toLowerCase())) return false;
      const matched = values.some(p => operator.match(p, request.principalArn));
      return operator.negated ? !matched : matched;
    });
  });
}

function statementMatches(
  statement: PolicyStatement,
  request: ScpRequest,
): boolean {
  const actionMatches = (patterns: string[]) =>
    patterns.some(p => wildcardMatch(p, request.action, true));
  const action = statement.actions
    ? actionMatches(statement.actions)
    : !actionMatches(statement.notActions ?? []);
  return action && conditionsHold(statement.conditions, request);
}

/**
 * The decision of the SCPs for one call.
 * @param levels the statements of the policies attached at each level, root first.
 */
export function evaluateServiceControlPolicies(
  levels: PolicyStatement[][],
  request: ScpRequest,
): ScpDecision {
  const matching = (level: PolicyStatement[], effect: 'Allow' | 'Deny') =>
    level.some(s => s.effect === effect && statementMatches(s, request));
  if (levels.some(level => matching(level, 'Deny'))) return 'explicit-deny';
  return levels.every(level => matching(level, 'Allow'))
    ? 'allowed'
    : 'no-allow';
}
