import {
  AttachPolicyCommand,
  CreatePolicyCommand,
  CreatePolicyCommandOutput,
  DetachPolicyCommand,
  EnablePolicyTypeCommand,
  UpdatePolicyCommand,
} from '@aws-sdk/client-organizations';
import { OrganizationSession } from '../../aws/OrganizationSession';
import { TerminalError } from '../../aws/retry';
import { Reconciler, reconcileStep } from '../../engine/reconcile';
import { payerSession } from '../../engine/stepContext';
import { StepContext } from '../types';
import { DesiredScp, managedPolicyTag, payerPolicies } from './desiredPolicies';
import { listScps, SCP_TYPE } from '../../estate/observe';
import {
  observePolicies,
  observeScp,
  ObservedScp,
  PolicyObservation,
} from './observePolicies';
import {
  isManaged,
  planPolicies,
  PolicyPlanAction,
  unmanagedNamesakes,
} from './planPolicies';

interface PoliciesState {
  session: OrganizationSession;
  declared: DesiredScp[];
  observed: PolicyObservation;
}

/** An error of an Organizations call that means the change was made already. */
function isError(error: unknown, name: string): boolean {
  return (error as Error).name === name;
}

function declaredPolicy(state: PoliciesState, name: string): DesiredScp {
  const policy = state.declared.find(p => p.name === name);
  if (!policy) throw new TerminalError(`SCP ${name} is not declared`);
  return policy;
}

/**
 * Creates a declared SCP, or adopts the one an earlier attempt made (DuplicatePolicyException):
 * refused when that one is not the engine's, and brought to the declared content when it is.
 */
async function ensurePolicy(
  ctx: StepContext,
  state: PoliciesState,
  policy: DesiredScp,
): Promise<ObservedScp> {
  const { session } = state;
  const tag = managedPolicyTag(ctx.config);
  try {
    const created = await session.send<CreatePolicyCommandOutput>(
      new CreatePolicyCommand({
        Name: policy.name,
        Description: policy.description,
        Content: policy.content,
        Type: SCP_TYPE,
        Tags: [{ Key: tag.key, Value: tag.value }],
      }),
    );
    return {
      id: created.Policy!.PolicySummary!.Id!,
      name: policy.name,
      description: policy.description,
      content: policy.content,
      tags: { [tag.key]: tag.value },
      attachments: [],
    };
  } catch (error) {
    if (!isError(error, 'DuplicatePolicyException')) throw error;
    const summary = (await listScps(session)).find(p => p.Name === policy.name);
    if (!summary) throw error;
    const existing = await observeScp(session, summary, t => t.TargetId!);
    if (!isManaged(ctx.config, existing))
      throw new TerminalError(
        `an SCP named ${policy.name} exists without the tag ${tag.key}: ${tag.value}; the engine changes only its own`,
      );
    ctx.log(
      'info',
      `SCP ${policy.name} exists already (${existing.id}): adopting it`,
    );
    await session.send(
      new UpdatePolicyCommand({
        PolicyId: existing.id,
        Description: policy.description,
        Content: policy.content,
      }),
    );
    return {
      ...existing,
      description: policy.description,
      content: policy.content,
    };
  }
}

function withPolicy(state: PoliciesState, scp: ObservedScp): PoliciesState {
  return {
    ...state,
    observed: {
      ...state.observed,
      policies: { ...state.observed.policies, [scp.name]: scp },
    },
  };
}

/**
 * The SCPs a payer's declared policies make: enabled on the root, each policy with its
 * document and description, attached to exactly its target OUs. Policies without the
 * engine's tag, FullAWSAccess among them, are never changed.
 */
const policiesReconciler: Reconciler<
  StepContext,
  PoliciesState,
  PolicyPlanAction
> = {
  async observe(ctx) {
    const session = await payerSession(ctx);
    const declared = payerPolicies(ctx.config, ctx.payer.name);
    const observed = await observePolicies(session, ctx.config, declared, [
      { environment: ctx.desired.environment, ouPath: ctx.desired.ouPath },
    ]);
    const namesakes = unmanagedNamesakes(ctx.config, declared, observed);
    if (namesakes.length > 0) {
      const tag = managedPolicyTag(ctx.config);
      throw new TerminalError(
        `SCPs ${namesakes
          .map(p => `${p.name} (${p.id})`)
          .join(', ')} exist without the tag ${tag.key}: ${
          tag.value
        }; the engine changes only its own: rename the declared policy or tag the existing one`,
      );
    }
    return { session, declared, observed };
  },

  plan(ctx, { declared, observed }) {
    return planPolicies(ctx.config, declared, observed);
  },

  async apply(ctx, state, action) {
    const { session, observed } = state;
    switch (action.action) {
      case 'enable-policy-type':
        try {
          await session.send(
            new EnablePolicyTypeCommand({
              RootId: observed.rootId,
              PolicyType: SCP_TYPE,
            }),
          );
        } catch (error) {
          if (!isError(error, 'PolicyTypeAlreadyEnabledException')) throw error;
        }
        return { ...state, observed: { ...observed, scpEnabled: true } };
      case 'create-policy':
        return withPolicy(
          state,
          await ensurePolicy(ctx, state, declaredPolicy(state, action.policy!)),
        );
      case 'update-policy': {
        const policy = declaredPolicy(state, action.policy!);
        const scp = observed.policies[policy.name];
        await session.send(
          new UpdatePolicyCommand({
            PolicyId: scp.id,
            Description: policy.description,
            Content: policy.content,
          }),
        );
        return withPolicy(state, {
          ...scp,
          description: policy.description,
          content: policy.content,
        });
      }
      case 'attach-scp': {
        const scp = observed.policies[action.policy!];
        const ouId = observed.ous[action.ouPath!];
        if (!scp || !ouId)
          throw new TerminalError(
            `${action.target} cannot be attached before the policy and the OU exist`,
          );
        try {
          await session.send(
            new AttachPolicyCommand({ PolicyId: scp.id, TargetId: ouId }),
          );
        } catch (error) {
          // Another attempt attached it already.
          if (!isError(error, 'DuplicatePolicyAttachmentException'))
            throw error;
        }
        return withPolicy(state, {
          ...scp,
          attachments: [...scp.attachments, { id: ouId, path: action.ouPath! }],
        });
      }
      case 'detach-scp': {
        const scp = observed.policies[action.policy!];
        const attachment = scp?.attachments.find(a => a.path === action.ouPath);
        if (!attachment)
          throw new TerminalError(`${action.target} is not attached`);
        try {
          await session.send(
            new DetachPolicyCommand({
              PolicyId: scp.id,
              TargetId: attachment.id,
            }),
          );
        } catch (error) {
          // Another attempt detached it already.
          if (!isError(error, 'PolicyNotAttachedException')) throw error;
        }
        return withPolicy(state, {
          ...scp,
          attachments: scp.attachments.filter(a => a !== attachment),
        });
      }
      default:
        throw new TerminalError(
          `the policies step cannot ${action.action} ${action.target}`,
        );
    }
  },

  outputs(_ctx, { observed }) {
    return {
      policies: Object.fromEntries(
        Object.values(observed.policies).map(p => [p.name, p.id]),
      ),
    };
  },
};

export const mintPolicies = reconcileStep(policiesReconciler);
