import { SandboxState } from '../state/SandboxState';
import {
  addOrganizationAccessRole,
  newAccount,
  newOrganization,
  newOrganizationalUnit,
  newRole,
} from '../state/records';
import { AccountRecord, OrganizationRecord } from '../state/model';
import { attachDefaultPolicies } from '../services/organizations/policyStore';
import { Seed, SeedAccount, SeedMemberAccount } from './schema';

const asJson = (doc: string | Record<string, unknown>) =>
  typeof doc === 'string' ? doc : JSON.stringify(doc);

function seedAccount(
  state: SandboxState,
  spec: SeedAccount & { id?: string },
  now: number,
): AccountRecord {
  const account = newAccount({
    id: spec.id ?? state.newAccountId(),
    name: spec.name,
    email: spec.email,
    joinedMethod: 'CREATED',
    now,
    tags: spec.tags,
  });
  for (const user of spec.users) {
    state.credentials.set(user.accessKeyId, {
      accessKeyId: user.accessKeyId,
      secretAccessKey: user.secretAccessKey,
      principal: {
        type: 'user',
        accountId: account.id,
        arn: `arn:aws:iam::${account.id}:user/${user.name}`,
        userId: `AIDA${user.accessKeyId.slice(4)}`,
        ...(user.deniedServices.length
          ? { deniedServices: user.deniedServices }
          : {}),
      },
    });
  }
  for (const roleSpec of spec.roles) {
    const role = newRole({
      accountId: account.id,
      name: roleSpec.name,
      path: roleSpec.path,
      trustPolicy: asJson(roleSpec.trustPolicy),
      maxSessionDuration: roleSpec.maxSessionDuration,
      now,
    });
    for (const [name, doc] of Object.entries(roleSpec.inlinePolicies)) {
      role.inlinePolicies[name] = asJson(doc);
    }
    role.attachedPolicyArns.push(...roleSpec.attachedPolicyArns);
    if (roleSpec.deniedServices.length) {
      role.deniedServices = roleSpec.deniedServices;
    }
    account.roles[role.name] = role;
  }
  for (const bucket of spec.buckets) {
    state.buckets.set(bucket.name, {
      name: bucket.name,
      ownerAccountId: account.id,
      createdAt: now,
      region: bucket.region,
      versioning: bucket.versioning,
      sharedWithAllAccounts: bucket.sharedWithAllAccounts,
      objects: {},
    });
  }
  state.addAccount(account);
  return account;
}

/**
 * The id of the OU at `path` below the organization's root (such as `workloads/prod`),
 * making each OU of the path that is missing.
 */
export function ensureOuPath(
  state: SandboxState,
  organization: OrganizationRecord,
  path: string,
): string {
  let parentId = organization.rootId;
  for (const name of path.split('/').filter(Boolean)) {
    const existing = state
      .childIds(parentId)
      .map(id => state.containers.get(id))
      .find(c => c?.name === name);
    if (existing) {
      parentId = existing.id;
    } else {
      const ou = newOrganizationalUnit(organization, parentId, name);
      state.addContainer(ou);
      attachDefaultPolicies(organization, ou.id);
      parentId = ou.id;
    }
  }
  return parentId;
}

/**
 * Adds a member account to an organization: created by it, with the OrganizationAccountAccessRole
 * AWS makes, or invited, without that role (nobody has made it yet).
 */
export function addMemberAccount(
  state: SandboxState,
  organization: OrganizationRecord,
  spec: SeedMemberAccount,
  now: number,
): AccountRecord {
  const member = seedAccount(state, spec, now);
  member.organizationId = organization.id;
  if (spec.invited) {
    member.joinedMethod = 'INVITED';
  } else {
    addOrganizationAccessRole(
      member,
      'OrganizationAccountAccessRole',
      organization.managementAccountId,
      now,
    );
  }
  state.moveAccount(member, ensureOuPath(state, organization, spec.ou ?? ''));
  attachDefaultPolicies(organization, member.id);
  return member;
}

/** The sandbox state a seed describes, as of `now`. */
export function buildState(seed: Seed, now: number): SandboxState {
  const state = new SandboxState();
  seed.accounts.forEach(spec => seedAccount(state, spec, now));
  for (const orgSpec of seed.organizations) {
    const management = seedAccount(state, orgSpec.managementAccount, now);
    const { organization, root } = newOrganization(management, orgSpec);
    state.organizations.set(organization.id, organization);
    state.addContainer(root);
    management.organizationId = organization.id;
    state.moveAccount(management, root.id);
    orgSpec.organizationalUnits.forEach(path =>
      ensureOuPath(state, organization, path),
    );
    for (const memberSpec of orgSpec.accounts) {
      addMemberAccount(state, organization, memberSpec, now);
    }
  }
  return state;
}
