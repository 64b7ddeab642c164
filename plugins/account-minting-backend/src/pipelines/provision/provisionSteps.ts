import { JsonObject } from '@backstage/types';
import {
  ProvisionContext,
  ProvisionCredentials,
  ProvisionTarget,
} from '@regional-minting/plugin-account-minting-node';
import { TerminalError } from '../../aws/retry';
import { ProvisionStepConfig } from '../../config/mintingConfig';
import { DesiredAccount, DesiredRegion } from '../../estate/desired';
import { accountIdOf } from '../accountId';
import { desiredProvisioningRole } from '../bootstrap/provisioningRole';
import { BaseStepContext } from '../../engine/stepContext';
import { StepContext, StepHandler } from '../types';
import { parseStepKey, stepKeys } from '../stepKeys';

function stepConfig(ctx: StepContext): ProvisionStepConfig {
  const { key } = ctx.step;
  if (parseStepKey(key).kind === 'region') {
    const step = ctx.config.regionSteps.find(
      s => stepKeys.region(s.name) === key,
    );
    if (step) return step;
  } else {
    const account = ctx.desired.accounts.find(
      a => a.name === ctx.step.target.account,
    );
    const role = ctx.config.accountRoles.find(r => r.name === account?.role);
    const step = role?.provision.find(
      s => stepKeys.provision(account!.name, s.name) === key,
    );
    if (step) return step;
  }
  throw new TerminalError(`step ${key} is no longer in the configuration`);
}

function regionTarget(region: DesiredRegion): ProvisionTarget {
  return {
    region: region.region,
    regionOu: region.name,
    environment: region.environment,
    payer: region.payer,
  };
}

/** What a provisioning step is given besides its configuration: whom it acts on, as whom, after what. */
type ProvisionParts = Omit<
  ProvisionContext,
  'signal' | 'log' | 'options' | 'stepName' | 'aws' | 'state'
> & { stateKey: string };

/**
 * The provisioner's context for a configured step: where AWS is, where its state lives.
 * Made once the cap on concurrent provisioning lets the step run, as its timeout starts.
 */
function provisionContext(
  ctx: BaseStepContext,
  step: ProvisionStepConfig,
  parts: ProvisionParts,
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
    // Cancelled with its run, or at its timeout.
    signal: AbortSignal.any([
      ctx.signal,
      AbortSignal.timeout(step.timeoutSeconds * 1000),
    ]),
    log: line => ctx.log('info', line),
  };
}

/** An account of a region, with its id: what an account's provisioning steps act on. */
export interface ProvisionedAccount {
  region: DesiredRegion;
  account: DesiredAccount;
  id: string;
}

/**
 * The provisioner's context for one of an account's provisioning steps, the same for
 * apply and for the plan-only mode of drift checks, so that a plan sees what an apply
 * would: the account as target, the step's state key, and the outputs of the account's
 * steps before it in its role's configuration, by step name, taken from `outputs` (by
 * step key) where they are.
 */
export function accountProvisionContext(
  ctx: BaseStepContext,
  target: ProvisionedAccount,
  step: ProvisionStepConfig,
  options: {
    credentials: ProvisionCredentials;
    outputs: Record<string, JsonObject | undefined>;
  },
): ProvisionContext {
  const { region, account, id } = target;
  const steps =
    ctx.config.accountRoles.find(r => r.name === account.role)?.provision ?? [];
  const earlier = steps.slice(
    0,
    steps.findIndex(s => s.name === step.name),
  );
  const previousOutputs: Record<string, JsonObject> = {};
  for (const { name } of earlier) {
    const key = stepKeys.provision(account.name, name);
    if (key in options.outputs)
      previousOutputs[name] = options.outputs[key] ?? {};
  }
  return provisionContext(ctx, step, {
    target: {
      ...regionTarget(region),
      account: {
        id,
        name: account.name,
        role: account.role,
        index: account.index,
      },
    },
    credentials: options.credentials,
    previousOutputs,
    stateKey: `accounts/${id}/${step.name}.tfstate`,
  });
}

/** Runs a provisioner for the step, behind the cap on concurrent provisioning. */
async function runProvisioner(
  ctx: StepContext,
  step: ProvisionStepConfig,
  contextOf: () => ProvisionContext,
): Promise<JsonObject> {
  const provisioner = ctx.provisioners.get(step.provisioner);
  return ctx.provisionGate(async () => {
    const context = contextOf();
    ctx.log(
      'info',
      `${step.provisioner} ${step.name}: state s3://${context.state.bucket}/${context.state.key}`,
    );
    const outputs = await provisioner.provision(context);
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
  const outputs = await runProvisioner(ctx, step, () =>
    accountProvisionContext(
      ctx,
      { region: ctx.desired, account, id: accountId },
      step,
      // The account's earlier steps are this one's dependencies.
      { credentials, outputs: ctx.dependencyOutputs },
    ),
  );
  return { ...outputs, accountId };
};

/** A region step: runs once every account is provisioned, seeing every account's outputs. */
export const regionStep: StepHandler = async ctx => {
  const step = stepConfig(ctx);
  const byAccount: Record<string, JsonObject> = {};
  for (const [key, outputs] of Object.entries(ctx.dependencyOutputs)) {
    const parsed = parseStepKey(key);
    if ('account' in parsed) {
      byAccount[parsed.account] = {
        ...(byAccount[parsed.account] ?? {}),
        ...(outputs ?? {}),
      };
    }
  }
  const central = await ctx.clients.centralCredentials();
  return runProvisioner(ctx, step, () =>
    provisionContext(ctx, step, {
      target: regionTarget(ctx.desired),
      credentials: central,
      previousOutputs: byAccount,
      stateKey: `regions/${ctx.desired.name}/${step.name}.tfstate`,
    }),
  );
};
