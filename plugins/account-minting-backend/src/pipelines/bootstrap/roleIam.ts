import {
  AttachRolePolicyCommand,
  CreateRoleCommand,
  DeleteRolePermissionsBoundaryCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  GetRoleCommand,
  GetRoleCommandOutput,
  GetRolePolicyCommand,
  GetRolePolicyCommandOutput,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListAttachedRolePoliciesCommandOutput,
  ListRolePoliciesCommand,
  ListRolePoliciesCommandOutput,
  PutRolePermissionsBoundaryCommand,
  PutRolePolicyCommand,
  UpdateAssumeRolePolicyCommand,
  UpdateRoleCommand,
} from '@aws-sdk/client-iam';
import { BackoffOptions, withRetries } from '../../aws/retry';
import { DesiredRole, ObservedRole, RoleAction } from './provisioningRole';

type Command = Parameters<IAMClient['send']>[0];

/** IAM calls in a member account, retried on throttling. */
function isNoSuchEntity(error: unknown): boolean {
  const name = (error as Error).name;
  return name === 'NoSuchEntityException' || name === 'NoSuchEntity';
}

export class RoleIam {
  constructor(
    private readonly iam: IAMClient,
    private readonly backoff: BackoffOptions,
  ) {}

  private send<Output>(command: object): Promise<Output> {
    return withRetries(
      () =>
        this.iam.send(command as Command, {
          abortSignal: this.backoff.signal,
        }) as Promise<Output>,
      this.backoff,
    );
  }

  /** Every page of a Marker-paged IAM list. */
  private async listAll<
    Item,
    Output extends { Marker?: string; IsTruncated?: boolean },
  >(
    command: (marker: string | undefined) => object,
    items: (output: Output) => Item[] | undefined,
  ): Promise<Item[]> {
    const all: Item[] = [];
    let marker: string | undefined;
    do {
      const output: Output = await this.send<Output>(command(marker));
      all.push(...(items(output) ?? []));
      marker = output.IsTruncated ? output.Marker : undefined;
    } while (marker);
    return all;
  }

  /** The role with its trust, boundary and policies; undefined when it does not exist. IAM URL-encodes documents. */
  async observe(name: string): Promise<ObservedRole | undefined> {
    let role: GetRoleCommandOutput['Role'];
    try {
      role = (
        await this.send<GetRoleCommandOutput>(
          new GetRoleCommand({ RoleName: name }),
        )
      ).Role;
    } catch (error) {
      if (isNoSuchEntity(error)) return undefined;
      throw error;
    }
    const [attached, inlineNames] = await Promise.all([
      this.listAll<
        { PolicyArn?: string },
        ListAttachedRolePoliciesCommandOutput
      >(
        Marker =>
          new ListAttachedRolePoliciesCommand({ RoleName: name, Marker }),
        o => o.AttachedPolicies,
      ),
      this.listAll<string, ListRolePoliciesCommandOutput>(
        Marker => new ListRolePoliciesCommand({ RoleName: name, Marker }),
        o => o.PolicyNames,
      ),
    ]);
    const inlinePolicies: Record<string, unknown> = {};
    for (const policyName of inlineNames) {
      const { PolicyDocument } = await this.send<GetRolePolicyCommandOutput>(
        new GetRolePolicyCommand({ RoleName: name, PolicyName: policyName }),
      );
      inlinePolicies[policyName] = JSON.parse(
        decodeURIComponent(PolicyDocument ?? '{}'),
      );
    }
    return {
      trustPolicy: JSON.parse(
        decodeURIComponent(role?.AssumeRolePolicyDocument ?? '{}'),
      ),
      permissionsBoundaryArn: role?.PermissionsBoundary?.PermissionsBoundaryArn,
      managedPolicyArns: attached.map(p => p.PolicyArn ?? '').sort(),
      inlinePolicies,
      maxSessionDuration: role?.MaxSessionDuration ?? 3600,
    };
  }

  /** Applies one planned change. */
  async apply(desired: DesiredRole, action: RoleAction): Promise<void> {
    const RoleName = desired.name;
    switch (action.action) {
      case 'create-role':
        try {
          await this.send(
            new CreateRoleCommand({
              RoleName,
              Path: desired.path,
              AssumeRolePolicyDocument: JSON.stringify(desired.trustPolicy),
              PermissionsBoundary: desired.permissionsBoundaryArn,
              MaxSessionDuration: desired.maxSessionDuration,
              Description:
                'The provisioning role of Regional Account Minting (made by its bootstrap pipeline)',
              Tags: [{ Key: 'managed-by', Value: 'account-minting' }],
            }),
          );
        } catch (error) {
          // Made by an attempt that did not get to record it: the next run corrects any difference.
          if ((error as Error).name !== 'EntityAlreadyExistsException')
            throw error;
        }
        return;
      case 'update-trust':
        await this.send(
          new UpdateAssumeRolePolicyCommand({
            RoleName,
            PolicyDocument: JSON.stringify(desired.trustPolicy),
          }),
        );
        return;
      case 'update-max-session':
        await this.send(
          new UpdateRoleCommand({
            RoleName,
            MaxSessionDuration: desired.maxSessionDuration,
          }),
        );
        return;
      case 'put-boundary':
        await this.send(
          new PutRolePermissionsBoundaryCommand({
            RoleName,
            PermissionsBoundary: action.arn,
          }),
        );
        return;
      case 'delete-boundary':
        await this.send(new DeleteRolePermissionsBoundaryCommand({ RoleName }));
        return;
      case 'attach-policy':
        await this.send(
          new AttachRolePolicyCommand({ RoleName, PolicyArn: action.arn }),
        );
        return;
      case 'detach-policy':
        await this.send(
          new DetachRolePolicyCommand({ RoleName, PolicyArn: action.arn }),
        );
        return;
      case 'put-inline-policy':
        await this.send(
          new PutRolePolicyCommand({
            RoleName,
            PolicyName: action.name,
            PolicyDocument: JSON.stringify(desired.inlinePolicies[action.name]),
          }),
        );
        return;
      case 'delete-inline-policy':
        await this.send(
          new DeleteRolePolicyCommand({ RoleName, PolicyName: action.name }),
        );
        return;
      case 'delete-role':
        try {
          await this.send(new DeleteRoleCommand({ RoleName }));
        } catch (error) {
          // Deleted by an attempt whose answer was lost.
          if (!isNoSuchEntity(error)) throw error;
        }
        return;
      default:
        throw new Error(`unknown role action ${(action as RoleAction).action}`);
    }
  }
}
