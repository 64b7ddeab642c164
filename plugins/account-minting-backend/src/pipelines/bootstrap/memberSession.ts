import { AwsCredentialIdentity } from '@aws-sdk/types';
import { setTimeout as sleep } from 'node:timers/promises';
import { TerminalError } from '../../aws/retry';
import { BaseStepContext } from '../../engine/stepContext';

/**
 * Credentials in a member account as its access role, chained through the payer's
 * bootstrap role and assumed afresh for each step (chained sessions last an hour
 * at most). A new account refuses the chain for a while: wait, bounded, with backoff.
 */
export async function assumeIntoMember(
  ctx: BaseStepContext,
  accountId: string,
  options: MemberOptions = {},
): Promise<AwsCredentialIdentity> {
  return assumeMember(ctx, await assumePayerBootstrap(ctx), accountId, options);
}

export interface MemberOptions {
  /**
   * An account this product did not create, long ready: a refusal is not a new account
   * settling but a missing role (an invited account has no access role unless someone
   * made it), said at once.
   */
  adopted?: boolean;
}

function sessionNameOf(ctx: BaseStepContext): string {
  return `boot-${ctx.run.id.slice(0, 8)}-${ctx.step.key}`;
}

/** The payer's bootstrap role: the first link of the chain, good for many members. */
export async function assumePayerBootstrap(
  ctx: BaseStepContext,
): Promise<AwsCredentialIdentity> {
  if (!ctx.payer.bootstrapRoleArn) {
    throw new TerminalError(
      `payer ${ctx.payer.name} has no bootstrapRoleArn in accountMinting.payers`,
    );
  }
  // Assumed from the central account (not chained): shared while 15 minutes are left.
  return ctx.clients.assumeRole({
    roleArn: ctx.payer.bootstrapRoleArn,
    externalId: ctx.payer.externalId,
    sessionName: sessionNameOf(ctx),
    reuse: true,
  });
}

/** A member account's access role, through the payer's bootstrap role. */
export async function assumeMember(
  ctx: BaseStepContext,
  viaPayer: AwsCredentialIdentity,
  accountId: string,
  options: MemberOptions = {},
): Promise<AwsCredentialIdentity> {
  const bootstrap = ctx.config.bootstrap!;
  const sessionName = sessionNameOf(ctx);
  const roleArn = `arn:aws:iam::${accountId}:role/${bootstrap.accessRoleName}`;
  const deadline = Date.now() + bootstrap.readinessTimeoutSeconds * 1000;
  let delay = ctx.timing.pollMinMs;
  for (;;) {
    try {
      return await ctx.clients.assumeRole({
        roleArn,
        sessionName,
        via: viaPayer,
      });
    } catch (error) {
      if ((error as Error).name !== 'AccessDenied') throw error;
      if (options.adopted)
        throw new TerminalError(
          `the bootstrap role may not assume ${bootstrap.accessRoleName} in adopted account ${accountId}: an invited account has no such role unless someone created it. Create it there, trusting the payer, or set accountMinting.bootstrap.accessRoleName to a role the account has`,
        );
      if (Date.now() + delay > deadline) {
        throw new TerminalError(
          `account ${accountId} did not let the bootstrap role into ${bootstrap.accessRoleName} within ${bootstrap.readinessTimeoutSeconds} s`,
        );
      }
      ctx.log(
        'info',
        `account ${accountId} is not ready for ${
          bootstrap.accessRoleName
        } yet; again in ${Math.round(delay)} ms`,
      );
      await sleep(delay, undefined, { signal: ctx.signal });
      delay = Math.min(ctx.timing.pollMaxMs, delay * 1.5);
    }
  }
}
