import { z } from 'zod';
import { Sandbox } from './Sandbox';
import { addMemberAccount } from './seed/buildState';

/**
 * The body of `POST /_sandbox/accounts`: a member account made by hand, outside the
 * product, such as one for the portal to adopt.
 */
const handMadeAccountSchema = z
  .object({
    managementAccountId: z.string().regex(/^\d{12}$/, 'must be 12 digits'),
    name: z
      .string()
      .min(1, 'must be 1 to 50 characters')
      .max(50, 'must be 1 to 50 characters')
      .regex(/^[\u0020-\u007E]+$/, 'must be printable ASCII'),
    email: z.string().email('must be an email address'),
    /** The OU path below the root, such as `workloads/prod`, made where missing. */
    ou: z
      .string()
      .refine(
        path => path.split('/').filter(Boolean).length <= 5,
        'must be at most 5 OUs below the root',
      )
      .refine(
        path => path.split('/').every(name => name.length <= 128),
        'each OU name must be at most 128 characters',
      )
      .optional(),
    tags: z.record(z.string().min(1).max(128), z.string().max(256)).optional(),
    invited: z.boolean().optional(),
  })
  .strict();

export interface AdminReply {
  status: number;
  body: unknown;
}

const refused = (status: number, error: string): AdminReply => ({
  status,
  body: { error },
});

/** Adds a member account to the organization `managementAccountId` manages: 201 `{ id }`. */
export function addHandMadeAccount(sandbox: Sandbox, body: Buffer): AdminReply {
  let data: unknown;
  try {
    data = JSON.parse(body.toString('utf8'));
  } catch {
    return refused(400, 'the body must be a JSON account');
  }
  const parsed = handMadeAccountSchema.safeParse(data);
  if (!parsed.success) {
    return refused(
      400,
      parsed.error.issues
        .map(i => `${i.path.join('.') || 'account'}: ${i.message}`)
        .join('; '),
    );
  }
  const spec = parsed.data;
  sandbox.settle();
  const { state } = sandbox;
  const management = state.accounts.get(spec.managementAccountId);
  const organization = management?.organizationId
    ? state.organizations.get(management.organizationId)
    : undefined;
  if (!organization || organization.managementAccountId !== management?.id) {
    return refused(
      400,
      `managementAccountId: ${spec.managementAccountId} is not the management account of an organization`,
    );
  }
  const owner = state.accountByEmail(spec.email);
  if (owner) {
    return refused(
      409,
      `email: ${spec.email} is already the email of account ${owner.id}`,
    );
  }
  if (state.accountsIn(organization.id).length >= organization.accountQuota) {
    return refused(
      409,
      `managementAccountId: the organization already holds its accountQuota of ${organization.accountQuota} accounts`,
    );
  }
  const account = sandbox.change((changing, now) =>
    addMemberAccount(
      changing,
      organization,
      {
        name: spec.name,
        email: spec.email,
        ou: spec.ou,
        tags: spec.tags ?? {},
        invited: spec.invited,
        users: [],
        roles: [],
        buckets: [],
      },
      now,
    ),
  );
  return { status: 201, body: { id: account.id } };
}
