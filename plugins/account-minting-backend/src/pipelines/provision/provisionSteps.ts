import { JsonObject } from '@backstage/types';
import {
  ProvisionContext,
  ProvisionTarget,
} from '@regional-minting/plugin-account-minting-node';
import { TerminalError } from '../../aws/retry';
import { ProvisionStepConfig } from '../../config/mintingConfig';
import { accountIdOf } from '../accountId';
import { desiredProvisioningRole } from '../bootstrap/provisioningRole';
import { BaseStepContext } from '../../engine/stepContext';
import { StepContext, StepHandler } from '../types';

const PROVISION_PREFIX = 'provision:';
const REGION_PREFIX = 'region:';

/** The key of an account's provisioning step: `provision:<account>:<step>`. */
export const provisionStepKey = (account: string, step: string) =>
  `${PROVISION_PREFIX}${account}:${step}`;
export const regionStepKey = (step: string) => `${REGION_PREFIX}${step}`;

function stepConfig(ctx: StepContext): ProvisionStepConfig {
  const { key } = ctx.step;
  if (key.startsWith(REGION_PREFIX)) {
    const step = ctx.config.regionSteps.find(
      s => regionStepKey(s.name) === key,
    );
    if (step) return step;
  } else {
    const account = ctx.desired.accounts.find(
      a => a.name === ctx.step.target.account,
    );
    const role = ctx.config.accountRoles.find(r => r.name === account?.role);
    const step = role?.provision.find(
      s => provisionStepKey(account!.name, s.name) === key,
    );
    if (step) return step;
  }
  throw new TerminalError(`step ${key} is no longer in the configuration`);
}

function regionTarget(ctx: StepContext): ProvisionTarget {
  return {
    region: ctx.desired.region,
    regionOu: ctx.desired.name,
    environment: ctx.desired.environment,
    payer: ctx.desired.payer,
  };
}

/** What a provisioning step is given besides its configuration: whom it acts on, as whom, after what. */
export type ProvisionParts = Omit<
  ProvisionContext,
  'signal' | 'log' | 'options' | 'stepName' | 'aws' | 'state'
> & { stateKey: string };

/** The provisioner's context for a configured step: where AWS is, where its state lives. */
export function provisionContext(
  ctx: BaseStepContext,
  step: ProvisionStepConfig,
  parts: ProvisionParts,
  signal: AbortSignal,
): ProvisionContext {
  const provision = ctx.config.provision!;
  const region = ctx.config.aws.region;
  const { stateKey, ...given } = parts;
  return {
    ...given,
    stepName: step.name,
    options: step.options as JsonObject,
    aws: { region, endpoint: ctx.config.aws.endpoint },
    state: {
      bucket: provision.stateBucket,
      key: stateKey,
      region: provision.stateRegion ?? region,
    },
    signal,
    log: line => ctx.log('info', line),
  };
}

/** The signal of a provisioning step: cancelled with its run, or at its timeout. */
export function stepSignal(
  ctx: BaseStepContext,
  step: ProvisionStepConfig,
): AbortSignal {
  return AbortSignal.any([
    ctx.signal,
    AbortSignal.timeout(step.timeoutSeconds * 1000),
  ]);
}

/** Runs a provisioner for the step with a timeout, behind the cap on concurrent provisioning. */
async function runProvisioner(
  ctx: StepContext,
  step: ProvisionStepConfig,
  parts: ProvisionParts,
): Promise<JsonObject> {
  const provisioner = ctx.provisioners.get(step.provisioner);
  return ctx.provisionGate(async () => {
    ctx.log(
      'info',
      `${step.provisioner} ${step.name}: state s3://${
        ctx.config.provision!.stateBucket
      }/${parts.stateKey}`,
    );
    const outputs = await provisioner.provision(
      provisionContext(ctx, step, parts, stepSignal(ctx, step)),
    );
    ctx.log(
      'info',
      `${step.name} done: outputs ${Object.keys(outputs).join(', ') || 'none'}`,
    );
    return outputs;
  });
}

/** The account's provisioning role, as the central pipeline principal assumes it. */
export async function assumeProvisioningRole(
  ctx: BaseStepContext,
  accountId: string,
  sessionName: string,
) {
  const bootstrap = ctx.config.bootstrap;
  if (!bootstrap)
    throw new TerminalError(
      'accountMinting.bootstrap is not configured: no provisioning role to assume',
    );
  const role = desiredProvisioningRole(bootstrap);
  return ctx.clients.assumeRole({
    roleArn: `arn:aws:iam::${accountId}:role${role.path}${role.name}`,
    externalId: bootstrap.provisioningRole.externalId,
    sessionName,
  });
}

/**
 * Pipeline 3, one step of an account: assumes the account's provisioning role from
 * the central account and runs the step's provisioner with the outputs of the
 * account's earlier steps.
 */
export const provisionAccountStep: StepHandler = async ctx => {
  const step = stepConfig(ctx);
  const name = ctx.step.target.account!;
  const account = ctx.desired.accounts.find(a => a.name === name)!;
  const accountId = await accountIdOf(ctx);
  const credentials = await assumeProvisioningRole(
    ctx,
    accountId,
    `prov-${ctx.run.id.slice(0, 8)}-${name}-${step.name}`,
  );
  const previousOutputs = Object.fromEntries(
    Object.entries(ctx.dependencyOutputs)
      .filter(([key]) => key.startsWith(PROVISION_PREFIX))
      .map(([key, outputs]) => [
        key.slice(key.lastIndexOf(':') + 1),
        outputs ?? {},
      ]),
  );
  const outputs = await runProvisioner(ctx, step, {
    target: {
      ...regionTarget(ctx),
      account: {
        id: accountId,
        name,
        role: account.role,
        index: account.index,
      },
    },
    credentials,
    previousOutputs,
    stateKey: `accounts/${accountId}/${step.name}.tfstate`,
  });
  return { ...outputs, accountId };
};

/** A region step: runs once every account is provisioned, seeing every account's outputs. */
export const regionStep: StepHandler = async ctx => {
  const step = stepConfig(ctx);
  const byAccount: Record<string, JsonObject> = {};
  for (const [key, outputs] of Object.entries(ctx.dependencyOutputs)) {
    // Keys are `account:<name>`, `bootstrap:<name>` or `provision:<name>:<step>`.
    const [kind, account] = key.split(':');
    if (kind !== 'region')
      byAccount[account] = {
        ...(byAccount[account] ?? {}),
        ...(outputs ?? {}),
      };
  }
  const central = await ctx.clients.centralCredentials();
  return runProvisioner(ctx, step, {
    target: regionTarget(ctx),
    credentials: central,
    previousOutputs: byAccount,
    stateKey: `regions/${ctx.desired.name}/${step.name}.tfstate`,
  });
};
