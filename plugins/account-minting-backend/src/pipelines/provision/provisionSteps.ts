import { JsonObject } from '@backstage/types';
import {
  ProvisionContext,
  ProvisionCredentials,
  ProvisionDrift,
  ProvisionTarget,
} from '@regional-minting/plugin-account-minting-node';
import { TerminalError } from '../../aws/retry';
import { ProvisionStepConfig } from '../../config/mintingConfig';
import { DesiredAccount, DesiredRegion } from '../../estate/desired';
import { accountIdOf } from '../accountId';
import { desiredProvisioningRole } from '../bootstrap/provisioningRole';
import { BaseStepContext } from '../../engine/stepContext';
import {
  NotYetObservableError,
  Reconciler,
  reconcileStep,
} from '../../engine/reconcile';
import { StepContext } from '../types';
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

/** The provisioner's context for a region step: the region as target, its state key, the accounts' outputs. */
export function regionProvisionContext(
  ctx: BaseStepContext,
  region: DesiredRegion,
  step: ProvisionStepConfig,
  options: {
    credentials: ProvisionCredentials;
    previousOutputs: Record<string, JsonObject>;
  },
): ProvisionContext {
  return provisionContext(ctx, step, {
    target: regionTarget(region),
    ...options,
    stateKey: `regions/${region.name}/${step.name}.tfstate`,
  });
}

/** What a provisioning step needs to plan or apply: its configuration and the provisioner's context. */
interface ProvisionState {
  step: ProvisionStepConfig;
  /** Made when the cap on concurrent provisioning lets the step run, as its timeout starts. */
  contextOf: () => ProvisionContext;
  /** Outputs every step of this kind reports besides its provisioner's. */
  extraOutputs: JsonObject;
  /** What the provisioner's plan-only mode found, in a dry run. */
  planned?: ProvisionDrift;
  outputs?: JsonObject;
}

/**
 * A provisioning step as a reconciler. The provisioner is what observes: in a dry run
 * its plan-only mode says whether it would change anything; a run applies, and the
 * provisioner plans as it applies, as `terraform apply` does, so that a step is not
 * planned twice. A provisioner without a plan-only mode is planned as a run of it.
 */
function provisionReconciler(
  prepare: (ctx: StepContext) => Promise<Omit<ProvisionState, 'planned'>>,
): Reconciler<StepContext, ProvisionState> {
  return {
    async observe(ctx) {
      const state = await prepare(ctx);
      const provisioner = ctx.provisioners.get(state.step.provisioner);
      if (ctx.intent !== 'plan' || !provisioner.plan) return state;
      const plan = provisioner.plan.bind(provisioner);
      return {
        ...state,
        planned: await ctx.provisionGate(() => plan(state.contextOf())),
      };
    },

    plan(ctx, { step, planned }) {
      const target = ctx.step.title;
      if (planned && !planned.drift)
        return [{ action: 'none', target, reason: planned.summary }];
      return [
        {
          action: 'provision',
          target,
          provisioner: step.provisioner,
          reason:
            planned?.summary ??
            `${step.provisioner} applies ${step.name}, planning as it applies`,
        },
      ];
    },

    async apply(ctx, state) {
      const provisioner = ctx.provisioners.get(state.step.provisioner);
      const outputs = await ctx.provisionGate(async () => {
        const context = state.contextOf();
        ctx.log(
          'info',
          `${state.step.provisioner} ${state.step.name}: state s3://${context.state.bucket}/${context.state.key}`,
        );
        return provisioner.provision(context);
      });
      ctx.log(
        'info',
        `${state.step.name} done: outputs ${
          Object.keys(outputs).join(', ') || 'none'
        }`,
      );
      return { ...state, outputs };
    },

    outputs(_ctx, state) {
      return { ...state.outputs, ...state.extraOutputs };
    },
  };
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
export const provisionAccountStep = reconcileStep(
  provisionReconciler(async ctx => {
    const step = stepConfig(ctx);
    const name = ctx.step.target.account!;
    const account = ctx.desired.accounts.find(a => a.name === name)!;
    const accountId = await accountIdOf(ctx);
    const bootstrapped = ctx.dependencyOutputs[stepKeys.bootstrap(name)];
    if (bootstrapped && !bootstrapped.provisioningRoleArn)
      throw new NotYetObservableError(
        `the provisioning role of ${name} is created by this run first`,
      );
    const credentials = await assumeProvisioningRole(
      ctx,
      accountId,
      `prov-${ctx.run.id.slice(0, 8)}-${name}-${step.name}`,
    );
    return {
      step,
      extraOutputs: { accountId },
      contextOf: () =>
        accountProvisionContext(
          ctx,
          { region: ctx.desired, account, id: accountId },
          step,
          // The account's earlier steps are this one's dependencies.
          { credentials, outputs: ctx.dependencyOutputs },
        ),
    };
  }),
);

/** A region step: runs once every account is provisioned, seeing every account's outputs. */
export const regionStep = reconcileStep(
  provisionReconciler(async ctx => {
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
    return {
      step,
      extraOutputs: {},
      contextOf: () =>
        regionProvisionContext(ctx, ctx.desired, step, {
          credentials: central,
          previousOutputs: byAccount,
        }),
    };
  }),
);
