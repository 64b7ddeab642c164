import { z } from 'zod';
import { CallContext, operation } from '../types';
import { managedOrganization } from './access';
import { orgErrors } from './errors';
import { inputs } from './inputs';
import {
  attachPolicy,
  detachAllOfType,
  FULL_AWS_ACCESS_ID,
  isPolicyTypeEnabled,
  SERVICE_CONTROL_POLICY,
} from './policyStore';
import { shapes } from './shapes';

/** The organization's root with the given id. @throws RootNotFoundException */
function managedRoot(ctx: CallContext, rootId: string) {
  const organization = managedOrganization(ctx);
  if (organization.rootId !== rootId) throw orgErrors.rootNotFound(rootId);
  return {
    organization,
    root: ctx.sandbox.state.containers.get(rootId)!,
  };
}

const policyTypeInput = z.object({
  RootId: inputs.rootId,
  PolicyType: inputs.policyType,
});

export const policyTypeOperations = {
  EnablePolicyType: operation({
    mutating: true,
    input: policyTypeInput,
    handle(ctx, input) {
      const { organization, root } = managedRoot(ctx, input.RootId);
      if (organization.featureSet !== 'ALL') {
        throw orgErrors.named(
          'PolicyTypeNotAvailableForOrganizationException',
          "You can't use the specified policy type with the feature set currently enabled for this organization. For example, you can enable SCPs only after you enable all features in the organization.",
        );
      }
      if (isPolicyTypeEnabled(organization, input.PolicyType)) {
        throw orgErrors.named(
          'PolicyTypeAlreadyEnabledException',
          'The specified policy type is already enabled in the specified root.',
        );
      }
      (organization.enabledPolicyTypes ??= []).push(input.PolicyType);
      if (input.PolicyType === SERVICE_CONTROL_POLICY) {
        // Every root, OU and account starts with FullAWSAccess, so nothing changes until other SCPs are attached.
        const { accounts, containers } = ctx.sandbox.state;
        for (const entity of [...containers.values(), ...accounts.values()]) {
          if (entity.organizationId === organization.id) {
            attachPolicy(organization, FULL_AWS_ACCESS_ID, entity.id);
          }
        }
      }
      return { Root: shapes.root(root, organization) };
    },
  }),
  DisablePolicyType: operation({
    mutating: true,
    input: policyTypeInput,
    handle(ctx, input) {
      const { organization, root } = managedRoot(ctx, input.RootId);
      if (!isPolicyTypeEnabled(organization, input.PolicyType)) {
        throw orgErrors.policyTypeNotEnabled(input.PolicyType);
      }
      organization.enabledPolicyTypes = organization.enabledPolicyTypes!.filter(
        type => type !== input.PolicyType,
      );
      // The policies stay; their attachments are lost, as in AWS.
      detachAllOfType(organization, input.PolicyType);
      return { Root: shapes.root(root, organization) };
    },
  }),
};
