import {
  AccessDeniedException,
  AttachPolicyCommand,
  CreatePolicyCommand,
  DetachPolicyCommand,
  DisablePolicyTypeCommand,
  EnablePolicyTypeCommand,
  ListOrganizationalUnitsForParentCommand,
  ListRootsCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import {
  CreateRoleCommand,
  GetRoleCommand,
  IAMClient,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { parseSeed } from '../seed/loadSeed';
import { RunningSandbox, startSandbox } from '../server';
import {
  assumeRole,
  CENTRAL,
  clientConfig,
  MINTER_ROLE,
  TestCredentials,
} from '../__testUtils__/sandbox';

// The tests call a sandbox server over HTTP: generous, so that a loaded machine is slow,
// never failing.
jest.setTimeout(60_000);

const SCP = 'SERVICE_CONTROL_POLICY';
const IN_OU = '300000000001';
const IN_ROOT = '300000000002';
const PROVISIONER = 'account-minting-provisioner';
const DEPLOYER = 'app-deployer';

const trustCentral = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::100000000001:root' },
      Action: 'sts:AssumeRole',
    },
  ],
};

/** The central account, a payer whose minting role the central account assumes, and two members: one in the OU `minted`, one in the root. */
function enforcementSeed() {
  const memberRoles = [
    { name: PROVISIONER, trustPolicy: trustCentral },
    { name: DEPLOYER, trustPolicy: trustCentral },
  ];
  return parseSeed({
    accounts: [
      {
        id: '100000000001',
        name: 'central',
        email: 'central@example.com',
        users: [{ name: 'pipeline', ...CENTRAL }],
      },
    ],
    organizations: [
      {
        name: 'control',
        managementAccount: {
          id: '200000000001',
          name: 'control',
          email: 'control@example.com',
          roles: [{ name: 'AccountMinter', trustPolicy: trustCentral }],
        },
        organizationalUnits: ['minted'],
        accounts: [
          {
            id: IN_OU,
            name: 'minted',
            email: 'minted@example.com',
            ou: 'minted',
            roles: memberRoles,
          },
          {
            id: IN_ROOT,
            name: 'legacy',
            email: 'legacy@example.com',
            roles: memberRoles,
          },
        ],
      },
    ],
  });
}

/** Denies IAM to every principal but the provisioning role. */
const onlyProvisionerManagesIam = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'OnlyTheProvisionerManagesIam',
      Effect: 'Deny',
      Action: 'iam:*',
      Resource: '*',
      Condition: {
        ArnNotLike: {
          'aws:PrincipalArn': `arn:aws:iam::*:role/${PROVISIONER}`,
        },
      },
    },
  ],
});

const trustDocument = JSON.stringify(trustCentral);

describe('service control policies on calls', () => {
  let running: RunningSandbox;
  let orgs: OrganizationsClient;
  let rootId: string;
  let ouId: string;

  beforeEach(async () => {
    running = await startSandbox({ port: 0, seed: enforcementSeed() });
    orgs = new OrganizationsClient(
      clientConfig(
        running.endpoint,
        await assumeRole(running.endpoint, CENTRAL, MINTER_ROLE),
      ),
    );
    rootId = (await orgs.send(new ListRootsCommand({}))).Roots![0].Id!;
    ouId = (
      await orgs.send(
        new ListOrganizationalUnitsForParentCommand({ ParentId: rootId }),
      )
    ).OrganizationalUnits![0].Id!;
  });

  afterEach(() => running.close());

  const session = (accountId: string, role: string) =>
    assumeRole(
      running.endpoint,
      CENTRAL,
      `arn:aws:iam::${accountId}:role/${role}`,
    );

  const iamAs = async (credentials: TestCredentials) =>
    new IAMClient(clientConfig(running.endpoint, credentials));

  const createRole = (iam: IAMClient, RoleName: string) =>
    iam.send(
      new CreateRoleCommand({
        RoleName,
        AssumeRolePolicyDocument: trustDocument,
      }),
    );

  const attachToOu = async (Content: string, TargetId = ouId) => {
    const { Policy } = await orgs.send(
      new CreatePolicyCommand({
        Name: `policy-${TargetId}-${Content.length}`,
        Description: 'test policy',
        Type: SCP,
        Content,
      }),
    );
    const PolicyId = Policy!.PolicySummary!.Id!;
    await orgs.send(new AttachPolicyCommand({ PolicyId, TargetId }));
    return PolicyId;
  };

  const enableScps = () =>
    orgs.send(new EnablePolicyTypeCommand({ RootId: rootId, PolicyType: SCP }));

  it('lets the provisioning role alone manage IAM in the OU the policy is attached to', async () => {
    await enableScps();
    await attachToOu(onlyProvisionerManagesIam);

    const deployer = await iamAs(await session(IN_OU, DEPLOYER));
    const denied = await createRole(deployer, 'sneaky').catch(e => e);
    expect(denied.name).toBe('AccessDenied');
    expect(denied.$metadata.httpStatusCode).toBe(403);
    expect(denied.message).toBe(
      `User: arn:aws:sts::${IN_OU}:assumed-role/${DEPLOYER}/test is not authorized to perform: iam:CreateRole on resource: arn:aws:iam::${IN_OU}:role/sneaky with an explicit deny in a service control policy`,
    );
    // Reads are IAM actions too.
    await expect(
      deployer.send(new GetRoleCommand({ RoleName: PROVISIONER })),
    ).rejects.toMatchObject({ name: 'AccessDenied' });

    const provisioner = await iamAs(await session(IN_OU, PROVISIONER));
    const { Role } = await createRole(provisioner, 'workload');
    expect(Role!.Arn).toBe(`arn:aws:iam::${IN_OU}:role/workload`);

    // The account outside the OU is not affected.
    const outside = await iamAs(await session(IN_ROOT, DEPLOYER));
    await expect(createRole(outside, 'fine')).resolves.toBeDefined();
  });

  it('never applies to the management account, even with a deny on the root', async () => {
    await enableScps();
    await attachToOu(onlyProvisionerManagesIam, rootId);
    await attachToOu(onlyProvisionerManagesIam, '200000000001');

    const management = await iamAs(
      await assumeRole(running.endpoint, CENTRAL, MINTER_ROLE),
    );
    await expect(createRole(management, 'ManagedHere')).resolves.toBeDefined();
    // A member in the root now is denied.
    const inRoot = await iamAs(await session(IN_ROOT, DEPLOYER));
    await expect(createRole(inRoot, 'nope')).rejects.toMatchObject({
      name: 'AccessDenied',
    });
  });

  it('enforces nothing until SCPs are enabled, and nothing after they are disabled', async () => {
    const deployer = await iamAs(await session(IN_OU, DEPLOYER));
    await expect(createRole(deployer, 'before')).resolves.toBeDefined();

    await enableScps();
    await attachToOu(onlyProvisionerManagesIam);
    await expect(createRole(deployer, 'during')).rejects.toMatchObject({
      name: 'AccessDenied',
    });

    await orgs.send(
      new DisablePolicyTypeCommand({ RootId: rootId, PolicyType: SCP }),
    );
    await expect(createRole(deployer, 'after')).resolves.toBeDefined();
  });

  it('denies what no policy allows at a level, in the wording AWS uses', async () => {
    await enableScps();
    // The OU allows only S3 once FullAWSAccess is replaced.
    await attachToOu(
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }],
      }),
    );
    await orgs.send(
      new DetachPolicyCommand({ PolicyId: 'p-FullAWSAccess', TargetId: ouId }),
    );

    const provisioner = await iamAs(await session(IN_OU, PROVISIONER));
    const denied = await createRole(provisioner, 'x').catch(e => e);
    expect(denied.name).toBe('AccessDenied');
    expect(denied.message).toBe(
      `User: arn:aws:sts::${IN_OU}:assumed-role/${PROVISIONER}/test is not authorized to perform: iam:CreateRole on resource: arn:aws:iam::${IN_OU}:role/x because no service control policy allows the iam:CreateRole action`,
    );
    // GetCallerIdentity is answered whatever the policies say, as in AWS.
    const sts = new STSClient(
      clientConfig(running.endpoint, await session(IN_OU, PROVISIONER)),
    );
    const identity = await sts.send(new GetCallerIdentityCommand({}));
    expect(identity.Account).toBe(IN_OU);
  });

  it('answers Organizations calls AccessDeniedException with the SCP wording', async () => {
    await enableScps();
    await attachToOu(
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Deny', Action: 'organizations:*', Resource: '*' },
        ],
      }),
    );
    const member = new OrganizationsClient(
      clientConfig(running.endpoint, await session(IN_OU, PROVISIONER)),
    );
    const denied = await member.send(new ListRootsCommand({})).catch(e => e);
    expect(denied).toBeInstanceOf(AccessDeniedException);
    expect(denied.message).toBe(
      `User: arn:aws:sts::${IN_OU}:assumed-role/${PROVISIONER}/test is not authorized to perform: organizations:ListRoots on resource: * with an explicit deny in a service control policy`,
    );
  });
});
