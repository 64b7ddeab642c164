import pLimit from 'p-limit';
import {
  accountProvisionContext,
  assumeProvisioningRole,
} from '../../pipelines/provision/provisionSteps';
import { FoundDrift } from '../FindingStore';
import { locateAccounts } from './locate';
import { provisionedOutputs } from './provisionedOutputs';
import { CheckHandler } from './types';

/**
 * Each account's provisioning steps in their provisioners' plan-only mode (such as
 * Terraform's plan exiting 2), each given what an apply would give it, the outputs of
 * the account's earlier steps included. Steps whose provisioner has no plan-only mode
 * are said in the log and not checked.
 */
export const checkProvision: CheckHandler = async ctx => {
  const located = await locateAccounts(ctx);
  const provisioned = provisionedOutputs(ctx.history);
  const limit = pLimit(ctx.config.drift.accountConcurrency);
  const unplannable = new Set<string>();
  const found: FoundDrift[] = [];
  let checked = 0;
  await Promise.all(
    located.map(target =>
      limit(async () => {
        const { region, account, id } = target;
        const steps =
          ctx.config.accountRoles.find(r => r.name === account.role)
            ?.provision ?? [];
        const plannable = steps.filter(step => {
          if (ctx.provisioners.get(step.provisioner).plan) return true;
          unplannable.add(`${step.name} (${step.provisioner})`);
          return false;
        });
        if (plannable.length === 0) return;
        const [credentials, outputs] = await Promise.all([
          assumeProvisioningRole(
            ctx,
            id,
            `check-${ctx.run.id.slice(0, 8)}-${account.name}`,
          ),
          provisioned(region.name, account.name),
        ]);
        for (const step of plannable) {
          const drift = await ctx.provisionGate(() =>
            ctx.provisioners.get(step.provisioner).plan!(
              accountProvisionContext(ctx, target, step, {
                credentials,
                outputs,
              }),
            ),
          );
          checked++;
          if (!drift.drift) continue;
          found.push({
            pipeline: 'provision',
            layer: 'provisioner',
            payer: ctx.payer.name,
            environment: region.environment,
            region: region.name,
            account: account.name,
            accountId: id,
            subject: step.name,
            summary: `${step.name} (${step.provisioner}) in ${account.name}: ${drift.summary}`,
            repairable: true,
          });
        }
      }),
    ),
  );
  if (unplannable.size > 0) {
    ctx.log(
      'info',
      `not checked, their provisioners have no plan-only mode: ${[
        ...unplannable,
      ].join(', ')}`,
    );
  }
  await ctx.record(found);
  return {
    accounts: located.length,
    stepsChecked: checked,
    findings: found.length,
  };
};
