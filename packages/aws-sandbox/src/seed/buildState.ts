import { SandboxState } from '../state/SandboxState';
import {
  addOrganizationAccessRole,
  newAccount,
  newOrganization,
  newOrganizationalUnit,
  newRole,
} from '../state/records';
import { AccountRecord } from '../state/model';
import { Seed, SeedAccount } from './schema';

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

    const ouByPath = new Map<string, string>([['', root.id]]);
    const ensurePath = (path: string): string => {
      const parts = path.split('/').filter(Boolean);
      let parentId = root.id;
      for (let i = 0; i < parts.length; i++) {
        const key = parts.slice(0, i + 1).join('/');
        let id = ouByPath.get(key);
        if (!id) {
          const ou = newOrganizationalUnit(organization, parentId, parts[i]);
          state.addContainer(ou);
          id = ou.id;
          ouByPath.set(key, id);
        }
        parentId = id;
      }
      return parentId;
    };
    orgSpec.organizationalUnits.forEach(ensurePath);
    for (const memberSpec of orgSpec.accounts) {
      const member = seedAccount(state, memberSpec, now);
      member.organizationId = organization.id;
      addOrganizationAccessRole(
        member,
        'OrganizationAccountAccessRole',
        management.id,
        now,
      );
      state.moveAccount(member, ensurePath(memberSpec.ou ?? ''));
    }
  }
  return state;
}
