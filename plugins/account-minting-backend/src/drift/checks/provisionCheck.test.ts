import { createBackendModule } from '@backstage/backend-plugin-api';
import { JsonObject } from '@backstage/types';
import {
  accountMintingProvisionersExtensionPoint,
  ProvisionContext,
} from '@regional-minting/plugin-account-minting-node';
import { testDatabases } from '../../testUtils/databases';
import { startMintingBackend } from '../../testUtils/mintingBackend';

const databases = testDatabases();

// Each test mints and provisions a region against a backend and a sandbox of its own:
// generous, so that a loaded machine is slow, never failing.
jest.setTimeout(120_000);

/** What a provisioner is given that its plan depends on: all but credentials, signal and log. */
function planInputs(context: ProvisionContext): JsonObject {
  const { target, stepName, options, aws, state, previousOutputs } = context;
  return JSON.parse(
    JSON.stringify({ target, stepName, options, aws, state, previousOutputs }),
  );
}

/**
 * A provisioner whose second step reads the first one's outputs, and whose plan-only
 * mode reports drift when it is given anything else than its last apply was.
 */
function chainedProvisioner() {
  const applied = new Map<string, string>();
  const keyOf = (context: ProvisionContext) =>
    `${context.target.account!.name}/${context.stepName}`;
  return createBackendModule({
    pluginId: 'account-minting',
    moduleId: 'test-chained',
    register(reg) {
      reg.registerInit({
        deps: { provisioners: accountMintingProvisionersExtensionPoint },
        async init({ provisioners }) {
          provisioners.addProvisioner({
            name: 'chained',
            async provision(context) {
              applied.set(keyOf(context), JSON.stringify(planInputs(context)));
              return context.stepName === 'network'
                ? { vpcId: `vpc-${context.target.account!.id}` }
                : { cluster: `on ${context.previousOutputs.network?.vpcId}` };
            },
            async plan(context) {
              const given = JSON.stringify(planInputs(context));
              const last = applied.get(keyOf(context));
              return given === last
                ? { drift: false, summary: 'no changes' }
                : { drift: true, summary: `given ${given}, applied ${last}` };
            },
          });
        },
      });
    },
  });
}

describe.each(databases.eachSupportedId())('the provision check on %s', id => {
  it("plans each step with what its apply was given, the account's earlier steps' outputs included: no drift after a successful run", async () => {
    const minting = await startMintingBackend({
      knex: await databases.init(id),
      features: [chainedProvisioner()],
      configure: accountMinting => {
        for (const role of accountMinting.accountRoles as JsonObject[]) {
          role.provision = [
            { name: 'network', provisioner: 'chained' },
            { name: 'cluster', provisioner: 'chained' },
          ];
        }
        accountMinting.provision = {
          stateBucket: 'regional-account-minting-tfstate',
        };
      },
    });
    try {
      const run = await minting.regionRun({
        environment: 'dev',
        region: 'us-east-2',
        owner: 'kirk',
      });
      expect(run.status).toBe('succeeded');
      const cluster = run.steps.find(
        (s: any) => s.key === 'provision:dev-kirk-us-east-2-rc:cluster',
      );
      expect(cluster.outputs.cluster).toMatch(/^on vpc-\d{12}$/);

      const started = await minting
        .api('post', '/drift/checks')
        .send({ pipeline: 'provision' });
      expect(started.status).toBe(202);
      const check = await minting.finished(started.body.id);
      expect(check.status).toBe('succeeded');
      const staging2 = check.steps.find(
        (s: any) => s.target.payer === 'staging-2',
      );
      expect(staging2.outputs).toEqual({
        accounts: 3,
        stepsChecked: 6,
        findings: 0,
      });
      const { body } = await minting.api('get', '/drift?layer=provisioner');
      expect(body.items).toEqual([]);
    } finally {
      await minting.stop();
    }
  });
});
