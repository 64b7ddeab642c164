import { JsonObject } from '@backstage/types';
import { resolvePackagePath } from '@backstage/backend-plugin-api';

const demoStep = resolvePackagePath(
  '@regional-minting/plugin-account-minting-backend',
  '../../examples/provisioning/demo-step.js',
);

/** A command step's options: node running `args`, with a destroy command when given. */
export const node = (...args: string[]) => ({
  command: process.execPath,
  args,
});

export const BUCKET = 'regional-account-minting-tfstate';

/** A demo step that a decommission can undo with its destroy mode. */
const demo = (apply: string, destroy: string) => ({
  ...node(demoStep, apply),
  destroy: node(demoStep, destroy),
});

/**
 * The sandbox demo's provisioning: a cluster per account, then the MCs registered with
 * the RC's Maestro; each step with the destroy command a decommission runs.
 */
export function withDemoProvisioning(extra: { mc?: JsonObject[] } = {}) {
  return (minting: JsonObject) => {
    const roles = minting.accountRoles as JsonObject[];
    const cluster = {
      name: 'cluster',
      provisioner: 'command',
      options: demo('cluster', 'cluster-destroy'),
    };
    roles[0].provision = [cluster];
    roles[1].provision = [cluster, ...(extra.mc ?? [])];
    minting.regionSteps = [
      {
        name: 'maestro',
        provisioner: 'command',
        options: demo('maestro-register', 'maestro-destroy'),
      },
    ];
    minting.provision = { stateBucket: BUCKET };
  };
}
