import { randomBytes, randomInt } from 'node:crypto';

const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';
const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function pick(alphabet: string, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
}

/** Identifiers in the formats AWS uses, so that the SDK's and the engine's patterns accept them. */
export const ids = {
  organization: () => `o-${pick(LOWER_ALNUM, 10)}`,
  root: () => `r-${pick(LOWER_ALNUM, 4)}`,
  organizationalUnit: (rootId: string) =>
    `ou-${rootId.slice(2)}-${pick(LOWER_ALNUM, 8)}`,
  account: () => `${randomInt(1, 10)}${pick('0123456789', 11)}`,
  organizationPolicy: () => `p-${pick(LOWER_ALNUM, 8)}`,
  createAccountRequest: () => `car-${randomBytes(16).toString('hex')}`,
  roleId: () => `AROA${pick(UPPER_ALNUM, 17)}`,
  policyId: () => `ANPA${pick(UPPER_ALNUM, 17)}`,
  sessionAccessKey: () => `ASIA${pick(UPPER_ALNUM, 16)}`,
  secret: () => randomBytes(30).toString('base64'),
  sessionToken: () => randomBytes(96).toString('base64'),
  objectVersion: () => randomBytes(24).toString('base64url'),
};
