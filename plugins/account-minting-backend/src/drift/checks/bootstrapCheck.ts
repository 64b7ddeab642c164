import pLimit from 'p-limit';
import {
  assumeMember,
  assumePayerBootstrap,
} from '../../pipelines/bootstrap/memberSession';
import {
  desiredProvisioningRole,
  planRole,
} from '../../pipelines/bootstrap/provisioningRole';
import { RoleIam } from '../../pipelines/bootstrap/roleIam';
import { TerminalError } from '../../aws/retry';
import { FoundDrift } from '../FindingStore';
import { locateAccounts } from './locate';
import { CheckHandler } from './types';

/**
 * The provisioning role of every account of the payer's desired regions: its trust
 * policy, boundary, session length and policies against the configuration. The
 * payer's bootstrap role is assumed once; each account's access role once.
 */
export const checkBootstrap: CheckHandler = async ctx => {
  const bootstrap = ctx.config.bootstrap;
  if (!bootstrap) {
    throw new TerminalError(
      'accountMinting.bootstrap is not configured: there is no provisioning role to check',
    );
  }
  const desired = desiredProvisioningRole(bootstrap);
  const located = await locateAccounts(ctx);
  const viaPayer = await assumePayerBootstrap(ctx);
  const limit = pLimit(ctx.config.drift.accountConcurrency);
  const found: FoundDrift[] = [];
  await Promise.all(
    located.map(({ region, account, id }) =>
      limit(async () => {
        const credentials = await assumeMember(ctx, viaPayer, id);
        const iam = new RoleIam(ctx.clients.iam(credentials), {
          ...ctx.timing.backoff,
          signal: ctx.signal,
        });
        const actions = planRole(desired, await iam.observe(desired.name));
        if (actions.length === 0) return;
        found.push({
          pipeline: 'bootstrap',
          layer: 'provisioning-role',
          payer: ctx.payer.name,
          environment: region.environment,
          region: region.name,
          account: account.name,
          accountId: id,
          subject: desired.name,
          summary: `role ${desired.name} in ${account.name}: ${actions
            .map(a => a.reason)
            .join('; ')}`,
          diff: { expected: 'as configured', actual: actions },
          repairable: true,
        });
      }),
    ),
  );
  await ctx.record(found);
  return { accounts: located.length, findings: found.length };
};
