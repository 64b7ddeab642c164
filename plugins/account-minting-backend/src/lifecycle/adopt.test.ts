import { defaultSeed, Seed, startSandbox } from '@regional-minting/aws-sandbox';
import { testDatabases } from '../testUtils/databases';
import { withDemoProvisioning } from '../testUtils/demoProvisioning';
import { startMintingBackend } from '../testUtils/mintingBackend';

const databases = testDatabases();

jest.setTimeout(180_000);

const REGION = 'dev-pete-eu-west-1';
const DEV_PAYER = '400000000001';

/** Accounts made by hand in the dev payer's organization, as another tool or a person leaves them. */
function seedWithHandMadeAccounts(): Seed {
  const seed = defaultSeed();
  const organization = seed.organizations.find(
    o => o.managementAccount.id === DEV_PAYER,
  )!;
  const account = (
    id: string,
    name: string,
    extra: { ou?: string; invited?: boolean; tags?: Record<string, string> },
  ) => ({
    id,
    name,
    email: `${name}@example.com`,
    tags: {},
    users: [],
    roles: [],
    buckets: [],
    ...extra,
  });
  organization.accounts.push(
    account('410000000001', 'legacy-regional', { ou: 'legacy' }),
    account('410000000002', 'legacy-mgmt-a', { ou: 'legacy' }),
    account('410000000003', 'legacy-mgmt-b', {}),
    account('410000000004', 'invited-one', { ou: 'legacy', invited: true }),
    account('410000000005', 'kirk-cluster', {
      ou: 'rosa-regional-platform/dev/dev-kirk-us-east-2',
    }),
    account('410000000006', 'closed-one', { ou: 'legacy' }),
    // Made by another tool with this product's naming.
    account('410000000007', 'dev-kirk-eu-west-1-rc', {}),
  );
  return seed;
}

describe.each(databases.eachSupportedId())('adopting accounts on %s', id => {
  it('refuses what it must not take, then adopts three hand-made accounts into a new region and provisions them', async () => {
    const sandbox = await startSandbox({
      port: 0,
      seed: seedWithHandMadeAccounts(),
    });
    const minting = await startMintingBackend({
      knex: await databases.init(id),
      sandbox,
      configure: withDemoProvisioning(),
    });
    const { state } = sandbox.sandbox;
    state.accounts.get('410000000006')!.status = 'SUSPENDED';
    const adopt = (body: object) =>
      minting.api('post', `/regions/${REGION}/adopt`).send({
        environment: 'dev',
        region: 'eu-west-1',
        owner: 'pete',
        ...body,
      });
    try {
      // Each refusal names the account and the rule; nothing is recorded.
      const refused = await adopt({
        accounts: {
          'regional-cluster': ['100000000001'],
          'management-cluster': ['400000000001', '410000000005'],
        },
        dryRun: true,
      });
      expect(refused.status).toBe(400);
      expect(refused.body.fields).toEqual({
        'accounts.regional-cluster[0]':
          'account 100000000001 is not in the organization of payer staging-2',
        'accounts.management-cluster[0]':
          'account 400000000001 is the management account of payer staging-2: it is never adopted',
        'accounts.management-cluster[1]':
          'account 410000000005 is in region OU dev-kirk-us-east-2 of another region',
      });
      const closed = await adopt({
        accounts: { 'management-cluster': ['410000000006'] },
      });
      expect(closed.status).toBe(400);
      expect(closed.body.fields['accounts.management-cluster[0]']).toBe(
        'account 410000000006 is SUSPENDED: a closed account cannot be adopted',
      );
      const twice = await adopt({
        accounts: { 'management-cluster': ['410000000002', '410000000002'] },
        dryRun: true,
      });
      expect(twice.body.fields['accounts.management-cluster[1]']).toMatch(
        /is given for dev-pete-eu-west-1-mc0 already/,
      );
      expect((await minting.api('get', `/regions/${REGION}`)).status).toBe(404);

      // The plan: each account moved, tagged and renamed to the naming rule; nothing created.
      const slots = {
        'regional-cluster': ['410000000001'],
        'management-cluster': ['410000000002', '410000000003'],
      };
      const dry = await adopt({ accounts: slots, dryRun: true });
      expect(dry.status).toBe(200);
      const actions = (name: string) =>
        dry.body.plan.actions.filter((a: any) => a.action === name);
      expect(actions('create-account')).toEqual([]);
      expect(actions('rename-account').map((a: any) => [a.from, a.to])).toEqual(
        [
          ['legacy-regional', `${REGION}-rc`],
          ['legacy-mgmt-a', `${REGION}-mc0`],
          ['legacy-mgmt-b', `${REGION}-mc1`],
        ],
      );
      expect(actions('move-account')).toHaveLength(3);
      expect(actions('tag-account')).toHaveLength(3);

      const started = await adopt({ accounts: slots });
      expect(started.status).toBe(202);
      const run = await minting.finished(started.body.run.id);
      expect(run.status).toBe('succeeded');
      const regionOu = [...state.containers.values()].find(
        c => c.name === REGION,
      )!;
      for (const [accountId, name] of [
        ['410000000001', `${REGION}-rc`],
        ['410000000002', `${REGION}-mc0`],
        ['410000000003', `${REGION}-mc1`],
      ]) {
        const account = state.accounts.get(accountId)!;
        expect(account.name).toBe(name);
        expect(account.parentId).toBe(regionOu.id);
        expect(account.tags).toMatchObject({
          'managed-by': 'account-minting',
          'region-ou': REGION,
        });
        expect(Object.keys(account.roles)).toContain(
          'account-minting-provisioner',
        );
      }
      const join = run.steps.find((s: any) => s.key === 'region:maestro');
      expect(join.outputs.consumers.sort()).toEqual([
        `${REGION}-mc0`,
        `${REGION}-mc1`,
      ]);
      const region = await minting.api('get', `/regions/${REGION}`);
      expect(
        region.body.accounts.map((a: any) => [a.name, a.accountId, a.email]),
      ).toEqual([
        [`${REGION}-rc`, '410000000001', 'legacy-regional@example.com'],
        [`${REGION}-mc0`, '410000000002', 'legacy-mgmt-a@example.com'],
        [`${REGION}-mc1`, '410000000003', 'legacy-mgmt-b@example.com'],
      ]);

      // An account adopted into one region is not adopted into another.
      const elsewhere = await minting
        .api('post', '/regions/dev-pete-us-east-2/adopt')
        .send({
          environment: 'dev',
          region: 'us-east-2',
          owner: 'pete',
          accounts: { 'regional-cluster': ['410000000001'] },
          dryRun: true,
        });
      expect(elsewhere.body.fields['accounts.regional-cluster[0]']).toBe(
        `account 410000000001 is adopted into region ${REGION} already`,
      );

      // An invited account has no OrganizationAccountAccessRole: the plan says so, and what to do.
      const invited = await minting
        .api('post', '/regions/dev-pete-us-east-2/adopt')
        .send({
          environment: 'dev',
          region: 'us-east-2',
          owner: 'pete',
          accounts: { 'regional-cluster': ['410000000004'] },
          dryRun: true,
        });
      expect(invited.status).toBe(200);
      const blocked = invited.body.plan.actions.find(
        (a: any) => a.action === 'blocked',
      );
      expect(blocked.reason).toMatch(
        /may not assume OrganizationAccountAccessRole in adopted account 410000000004.*set accountMinting\.bootstrap\.accessRoleName/,
      );

      // Matched by name: the account another tool made takes its slot; the slot without one is minted.
      const matched = await minting
        .api('post', '/regions/dev-kirk-eu-west-1/adopt')
        .send({
          environment: 'dev',
          region: 'eu-west-1',
          owner: 'kirk',
          match: 'name-or-email',
          accountRoles: { 'regional-cluster': 1, 'management-cluster': 1 },
          dryRun: true,
        });
      expect(matched.status).toBe(200);
      const planned = (name: string) =>
        matched.body.plan.actions
          .filter((a: any) => a.action === name)
          .map((a: any) => a.target);
      expect(planned('move-account')).toContain('dev-kirk-eu-west-1-rc');
      expect(planned('rename-account')).toEqual([]);
      expect(planned('create-account')).toEqual(['dev-kirk-eu-west-1-mc']);
    } finally {
      await minting.stop();
      await sandbox.close();
    }
  });
});
