import { JsonObject } from '@backstage/types';
import { TerminalError } from '../../aws/retry';
import { accountIdOf } from '../accountId';
import { StepHandler } from '../types';
import { assumeIntoMember } from './memberSession';
import { desiredProvisioningRole, planRole } from './provisioningRole';
import { RoleIam } from './roleIam';

/**
 * Pipeline 2 for one account: the provisioning role exists, trusts only the central
 * pipeline principal, and has exactly its boundary and policies. The access role is
 * all-powerful, so this does nothing else, and nothing at all when the role matches.
 */
export const bootstrapAccount: StepHandler = async ctx => {
  if (!ctx.config.bootstrap) {
    throw new TerminalError(
      'accountMinting.bootstrap is not configured: the provisioning role is unknown',
    );
  }
  const name = ctx.step.target.account!;
  const desiredAccount = ctx.desired.accounts.find(a => a.name === name);
  if (!desiredAccount)
    throw new TerminalError(
      `account ${name} is no longer part of region ${ctx.desired.name}`,
    );
  const accountId = await accountIdOf(ctx);

  const credentials = await assumeIntoMember(ctx, accountId);
  const iam = new RoleIam(ctx.clients.iam(credentials), {
    ...ctx.timing.backoff,
    signal: ctx.signal,
  });
  const desired = desiredProvisioningRole(ctx.config.bootstrap);
  const actions = planRole(desired, await iam.observe(desired.name));
  await ctx.saveProgress({
    plan: { role: desired.name, actions } as unknown as JsonObject,
  });
  for (const action of actions) {
    await iam.apply(desired, action);
    ctx.log(
      'info',
      `${action.action}${'arn' in action ? ` ${action.arn}` : ''}${
        'name' in action ? ` ${action.name}` : ''
      }: ${action.reason}`,
    );
  }
  if (actions.length === 0)
    ctx.log(
      'info',
      `role ${desired.name} in ${accountId} matches its configuration`,
    );
  return {
    accountId,
    provisioningRoleArn: `arn:aws:iam::${accountId}:role${desired.path}${desired.name}`,
  };
};
