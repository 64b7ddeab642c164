import { StepRecord } from '@regional-minting/plugin-account-minting-common';
import { PlanActionLike, planActionsOf } from '../shared/PlanActionsTable';

/** What an action of an account step did to the account it is given a name for. */
type Deed = (account: string) => string;

function deedOf(action: PlanActionLike): Deed | undefined {
  switch (action.action) {
    case 'create-account':
    case 'wait-for-creation':
      return account => `created ${account}`;
    case 'move-account':
      return account => `moved ${account} to OU ${action.to}`;
    case 'tag-account':
      return account =>
        `tagged ${account} ${Object.keys(action.tags ?? {}).join(', ')}`;
    case 'untag-account':
      return account =>
        `removed the tags ${(action.keys as string[]).join(
          ', ',
        )} from ${account}`;
    case 'rename-account':
      return account => `renamed ${account} to ${action.to}`;
    default:
      return undefined;
  }
}

function listed(parts: string[]): string {
  return parts.length <= 1
    ? parts.join('')
    : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

/**
 * What a succeeded account step did, in a sentence, from the plan it applied and
 * the account id it output, such as "Created account 123456789012 and moved it to
 * OU Root/…/dev-kirk-us-east-2." Undefined for other steps and for changing nothing.
 */
export function accountStepOutcome(step: StepRecord): string | undefined {
  const actions = planActionsOf(step.plan);
  if (step.status !== 'succeeded' || !step.target.account || !actions) {
    return undefined;
  }
  const deeds = actions.flatMap(action => deedOf(action) ?? []);
  if (deeds.length === 0) return undefined;
  const accountId = step.outputs?.accountId;
  const named = `account ${
    typeof accountId === 'string' ? accountId : step.target.account
  }`;
  // The first deed names the account, the others refer back to it.
  const sentence = listed(deeds.map((deed, i) => deed(i === 0 ? named : 'it')));
  return `${sentence[0].toUpperCase()}${sentence.slice(1)}.`;
}
