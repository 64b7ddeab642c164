/** The `spec.type` of the Resource entities that the catalog holds for the estate's accounts. */
export const ACCOUNT_ENTITY_TYPE = 'aws-account';

/** The annotations of the estate's entities in the catalog: written by the provider, read by the card. */
export const ACCOUNT_ANNOTATIONS = {
  accountId: 'account-minting/account-id',
  payer: 'account-minting/payer',
  regionOu: 'account-minting/region-ou',
  awsRegion: 'account-minting/aws-region',
  ouPath: 'account-minting/ou-path',
  role: 'account-minting/role',
  environment: 'account-minting/environment',
} as const;
