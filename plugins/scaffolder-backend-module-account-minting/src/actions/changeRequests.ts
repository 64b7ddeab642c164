import { TemplateActionOptions } from '@backstage/plugin-scaffolder-node';
import {
  ChangeRequest,
  ChangeStatus,
} from '@regional-minting/plugin-account-minting-common';

/** The zod of the scaffolder's action schemas, for schema fields shared by actions. */
type Zod = Parameters<
  NonNullable<NonNullable<TemplateActionOptions['schema']>['input']>[string]
>[0];

/**
 * What the request of work that waits for approval left in its checkpoint, for a
 * recovered task: the change request, as it was when asked for.
 */
export type RequestedChange = {
  changeId: string;
  changeStatus: ChangeStatus;
  approvals: number;
  approversNeeded: number;
  approverGroup: string;
};

/** The part of a change request a task keeps. */
export function requestedChange(change: ChangeRequest): RequestedChange {
  return {
    changeId: change.id,
    changeStatus: change.status,
    approvals: change.approvals,
    approversNeeded: change.approversNeeded,
    approverGroup: change.approverGroup,
  };
}

/** Such as `waiting for approval: 0 of 2 approvals by group:default/platform-approvers`. */
export function approvalState(change: RequestedChange): string {
  if (change.changeStatus !== 'pending') return change.changeStatus;
  return `waiting for approval: ${change.approvals} of ${change.approversNeeded} approvals by ${change.approverGroup}`;
}

/** The input of the actions that start work: why, which an environment that needs approval may require. */
export const reasonInput = {
  reason: (z: Zod) =>
    z
      .string({
        description:
          'Why the work is asked for, shown to the approvers; required in environments whose approval asks for a reason (such as prod), ignored elsewhere',
      })
      .max(2000)
      .optional(),
};

/** The outputs of the actions that start work when the work waits for approval instead. */
export const changeOutputs = {
  changeId: (z: Zod) =>
    z
      .string({
        description:
          'In an environment that needs approval, the id of the change request waiting for it (and no runId): give it to account-minting:run:wait',
      })
      .optional(),
  changeStatus: (z: Zod) =>
    z
      .string({
        description:
          'The status of the change request when asked for: pending until enough approvals start its run',
      })
      .optional(),
  approvalsNeeded: (z: Zod) =>
    z
      .number({
        description:
          "How many approvals of the environment's approver group the change needs to start",
      })
      .optional(),
  changeUrl: (z: Zod) =>
    z
      .string({
        description:
          "The link to the change's page of the portal's approvals, where approvers approve or reject it",
      })
      .optional(),
};

/** What a task waiting for approval outputs. */
export function outputChange(
  output: (name: keyof typeof changeOutputs, value: string | number) => void,
  change: RequestedChange,
  changeUrl: string,
) {
  output('changeId', change.changeId);
  output('changeStatus', change.changeStatus);
  output('approvalsNeeded', change.approversNeeded);
  output('changeUrl', changeUrl);
}
