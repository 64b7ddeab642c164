/**
 * Parses the JSON policy documents of service control policies into statements the
 * evaluator can match, refusing documents that are no policy, with a message naming
 * the member at fault.
 */

export interface PolicyStatement {
  effect: 'Allow' | 'Deny';
  /** Exactly one of `actions` and `notActions` is set. */
  actions?: string[];
  notActions?: string[];
  resources?: string[];
  notResources?: string[];
  /** Condition operator → condition key → values, as the document gives them. */
  conditions: Record<string, Record<string, string[]>>;
}

/** A document that is not a policy; the message names what is wrong. */
export class PolicyDocumentError extends Error {}

const STATEMENT_MEMBERS = new Set([
  'Sid',
  'Effect',
  'Action',
  'NotAction',
  'Resource',
  'NotResource',
  'Condition',
]);

// `*` alone, or `service:Action` with wildcards, as IAM action names go.
const ACTION_PATTERN = /^(\*|[a-z0-9-]+:[A-Za-z0-9*?]+)$/i;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringList(value: unknown, where: string): string[] {
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0 || list.some(item => typeof item !== 'string')) {
    throw new PolicyDocumentError(
      `${where} must be a string or a non-empty list of strings`,
    );
  }
  return list as string[];
}

function exclusive(
  statement: Record<string, unknown>,
  first: string,
  second: string,
  where: string,
  required: boolean,
): [string[] | undefined, string[] | undefined] {
  const hasFirst = statement[first] !== undefined;
  const hasSecond = statement[second] !== undefined;
  if (hasFirst && hasSecond) {
    throw new PolicyDocumentError(
      `${where} has both ${first} and ${second}; give one`,
    );
  }
  if (required && !hasFirst && !hasSecond) {
    throw new PolicyDocumentError(`${where} needs ${first} or ${second}`);
  }
  return [
    hasFirst ? stringList(statement[first], `${where}.${first}`) : undefined,
    hasSecond ? stringList(statement[second], `${where}.${second}`) : undefined,
  ];
}

function conditionsOf(
  value: unknown,
  where: string,
): PolicyStatement['conditions'] {
  if (value === undefined) return {};
  if (!isObject(value)) {
    throw new PolicyDocumentError(`${where} must be an object`);
  }
  const conditions: PolicyStatement['conditions'] = {};
  for (const [operator, block] of Object.entries(value)) {
    if (!isObject(block)) {
      throw new PolicyDocumentError(
        `${where}.${operator} must be an object of condition keys`,
      );
    }
    conditions[operator] = {};
    for (const [key, values] of Object.entries(block)) {
      const list = Array.isArray(values) ? values : [values];
      if (
        list.length === 0 ||
        list.some(v => !['string', 'number', 'boolean'].includes(typeof v))
      ) {
        throw new PolicyDocumentError(
          `${where}.${operator}.${key} must be a value or a non-empty list of values`,
        );
      }
      conditions[operator][key] = list.map(String);
    }
  }
  return conditions;
}

function statementOf(value: unknown, where: string): PolicyStatement {
  if (!isObject(value)) {
    throw new PolicyDocumentError(`${where} must be an object`);
  }
  for (const member of Object.keys(value)) {
    if (member === 'Principal' || member === 'NotPrincipal') {
      throw new PolicyDocumentError(
        `${where}.${member}: a service control policy cannot name principals`,
      );
    }
    if (!STATEMENT_MEMBERS.has(member)) {
      throw new PolicyDocumentError(
        `${where}.${member} is not a policy member`,
      );
    }
  }
  if (value.Effect !== 'Allow' && value.Effect !== 'Deny') {
    throw new PolicyDocumentError(`${where}.Effect must be Allow or Deny`);
  }
  const [actions, notActions] = exclusive(
    value,
    'Action',
    'NotAction',
    where,
    true,
  );
  for (const action of [...(actions ?? []), ...(notActions ?? [])]) {
    if (!ACTION_PATTERN.test(action)) {
      throw new PolicyDocumentError(
        `${where}: ${action} is not an action such as iam:CreateRole`,
      );
    }
  }
  const [resources, notResources] = exclusive(
    value,
    'Resource',
    'NotResource',
    where,
    false,
  );
  return {
    effect: value.Effect,
    actions,
    notActions,
    resources,
    notResources,
    conditions: conditionsOf(value.Condition, `${where}.Condition`),
  };
}

/** The statements of a service control policy. @throws PolicyDocumentError */
export function parsePolicyDocument(content: string): PolicyStatement[] {
  let document: unknown;
  try {
    document = JSON.parse(content);
  } catch {
    throw new PolicyDocumentError('the document is not valid JSON');
  }
  if (!isObject(document)) {
    throw new PolicyDocumentError('the document must be a JSON object');
  }
  for (const member of Object.keys(document)) {
    if (!['Version', 'Id', 'Statement'].includes(member)) {
      throw new PolicyDocumentError(`${member} is not a policy member`);
    }
  }
  if (
    document.Version !== undefined &&
    document.Version !== '2012-10-17' &&
    document.Version !== '2008-10-17'
  ) {
    throw new PolicyDocumentError('Version must be 2012-10-17 or 2008-10-17');
  }
  const statements = Array.isArray(document.Statement)
    ? document.Statement
    : [document.Statement];
  if (document.Statement === undefined || statements.length === 0) {
    throw new PolicyDocumentError('the document needs a Statement');
  }
  return statements.map((s, i) => statementOf(s, `Statement[${i}]`));
}
