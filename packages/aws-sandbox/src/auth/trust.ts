import { PrincipalRecord } from '../state/model';

/** What a trust policy's principals and conditions are checked against. */
export interface AssumeRoleRequest {
  caller: PrincipalRecord;
  /** The caller's organization path, such as `o-abc/r-ab12/ou-ab12-11111111/`, when it has one. */
  callerOrgPath?: string;
  callerOrgId?: string;
  externalId?: string;
}

interface Statement {
  Effect?: string;
  Action?: string | string[];
  Principal?: '*' | { AWS?: string | string[] };
  Condition?: Record<string, Record<string, string | string[]>>;
}

function asList<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** IAM's wildcard match: `*` any run of characters, `?` any one character. */
function like(pattern: string, value: string): boolean {
  const regex = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${regex}$`).test(value);
}

function principalMatches(
  statement: Statement,
  caller: PrincipalRecord,
): boolean {
  if (statement.Principal === '*') return true;
  const callerIds = [
    caller.accountId,
    `arn:aws:iam::${caller.accountId}:root`,
    caller.arn,
    ...(caller.type === 'assumed-role' ? [caller.roleArn] : []),
  ];
  return asList(statement.Principal?.AWS).some(
    p => p === '*' || callerIds.includes(p),
  );
}

function actionMatches(statement: Statement): boolean {
  return asList(statement.Action).some(a =>
    like(a.toLowerCase(), 'sts:assumerole'),
  );
}

function contextValues(
  key: string,
  request: AssumeRoleRequest,
): string[] | undefined {
  switch (key.toLowerCase()) {
    case 'sts:externalid':
      return request.externalId === undefined
        ? undefined
        : [request.externalId];
    case 'aws:principalorgpaths':
      return request.callerOrgPath === undefined
        ? undefined
        : [request.callerOrgPath];
    case 'aws:principalorgid':
      return request.callerOrgId === undefined
        ? undefined
        : [request.callerOrgId];
    case 'aws:principalaccount':
      return [request.caller.accountId];
    case 'aws:principalarn':
      return [
        request.caller.type === 'assumed-role'
          ? request.caller.roleArn
          : request.caller.arn,
      ];
    default:
      return undefined;
  }
}

/**
 * One condition operator over its keys. Operators the sandbox does not know never match,
 * so an unsupported condition denies rather than lets a caller in.
 */
function conditionMatches(
  operator: string,
  entries: Record<string, string | string[]>,
  request: AssumeRoleRequest,
): boolean {
  const [qualifier, base] = operator.includes(':')
    ? operator.split(':')
    : ['', operator];
  const compare: Record<string, (p: string, v: string) => boolean> = {
    StringEquals: (p, v) => p === v,
    StringLike: like,
    StringEqualsIgnoreCase: (p, v) => p.toLowerCase() === v.toLowerCase(),
  };
  const negated = base.startsWith('StringNot');
  const positive = compare[negated ? base.replace('Not', '') : base];
  if (!positive) return false;
  return Object.entries(entries).every(([key, patterns]) => {
    const values = contextValues(key, request);
    if (values === undefined) return negated;
    const matchOne = (v: string) => asList(patterns).some(p => positive(p, v));
    const result =
      qualifier === 'ForAllValues'
        ? values.every(matchOne)
        : values.some(matchOne);
    return negated ? !result : result;
  });
}

function statementApplies(
  statement: Statement,
  request: AssumeRoleRequest,
): boolean {
  return (
    actionMatches(statement) &&
    principalMatches(statement, request.caller) &&
    Object.entries(statement.Condition ?? {}).every(([op, entries]) =>
      conditionMatches(op, entries, request),
    )
  );
}

/** Whether a role's trust policy lets the caller assume it: an Allow applies and no Deny does. */
export function trustAllows(
  trustPolicy: string,
  request: AssumeRoleRequest,
): boolean {
  let statements: Statement[];
  try {
    statements = asList(JSON.parse(trustPolicy).Statement);
  } catch {
    return false;
  }
  const applying = statements.filter(s => statementApplies(s, request));
  return (
    applying.some(s => s.Effect === 'Allow') &&
    !applying.some(s => s.Effect === 'Deny')
  );
}
