import { z } from 'zod';

/** Input members shared by several operations, with the patterns the API model gives them. */
export const inputs = {
  accountId: z.string().regex(/^\d{12}$/, 'must be a 12-digit account id'),
  parentId: z
    .string()
    .regex(
      /^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$/,
      'must be a root or OU id',
    ),
  ouId: z
    .string()
    .regex(/^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$/, 'must be an OU id'),
  childId: z
    .string()
    .regex(
      /^(\d{12}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$/,
      'must be an account or OU id',
    ),
  resourceId: z
    .string()
    .regex(
      /^(\d{12}|r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}|p-[0-9a-zA-Z_]{8,128})$/,
      'must be an account, root, OU or policy id',
    ),
  policyId: z.string().regex(/^p-[0-9a-zA-Z_]{8,128}$/, 'must be a policy id'),
  /** A root, OU or account a policy can be attached to. */
  targetId: z
    .string()
    .regex(
      /^(\d{12}|r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$/,
      'must be a root, OU or account id',
    ),
  rootId: z.string().regex(/^r-[0-9a-z]{4,32}$/, 'must be a root id'),
  /** The policy types of the API model. */
  policyType: z.enum([
    'SERVICE_CONTROL_POLICY',
    'RESOURCE_CONTROL_POLICY',
    'DECLARATIVE_POLICY_EC2',
    'BACKUP_POLICY',
    'TAG_POLICY',
    'CHATBOT_POLICY',
    'AISERVICES_OPT_OUT_POLICY',
    'SECURITYHUB_POLICY',
    'SECURITYHUB_CSPM_POLICY',
    'INSPECTOR_POLICY',
    'GUARDDUTY_POLICY',
    'BEDROCK_POLICY',
    'S3_POLICY',
    'NETWORK_SECURITY_DIRECTOR_POLICY',
    'UPGRADE_ROLLOUT_POLICY',
  ]),
  ouName: z.string().min(1).max(128),
  nextToken: z.string().max(100000).optional(),
  maxResults: z.number().int().min(1).max(20).optional(),
  tag: z.object({
    Key: z.string().min(1).max(128),
    Value: z.string().max(256),
  }),
};

export const taggable = { Tags: z.array(inputs.tag).max(50).optional() };
