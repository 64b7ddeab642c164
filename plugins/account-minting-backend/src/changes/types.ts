import {
  AdoptBody,
  ChangeKind,
  ChangeRequest,
  ChangeStatus,
  PipelineName,
  Plan,
  ValidRegionRequest,
} from '@regional-minting/plugin-account-minting-common';

export type { ChangeKind, ChangeRequest, ChangeStatus };

/** What a change starts once approved: the region request, the run, the run to retry, the finding to repair. */
export type ChangeSubject =
  | { kind: 'region-request'; request: ValidRegionRequest }
  | { kind: 'run'; pipeline: PipelineName; region: string; account?: string }
  | { kind: 'retry'; runId: string }
  | { kind: 'repair'; findingId: string }
  | { kind: 'decommission'; region: string; accounts?: string[] }
  | { kind: 'scale'; region: string; accountRoles: Record<string, number> }
  | {
      kind: 'adopt';
      region: string;
      body: Omit<AdoptBody, 'dryRun' | 'reason'>;
      /** The environment of a region that adoption requests. */
      environment: string;
    };

/** Where a change acts: what approval, permission and the plan are decided by. */
export interface ChangeTarget {
  environment: string;
  region: string;
  pipeline: PipelineName;
  account?: string;
}

/** A change request as it is stored, before its decisions are added. */
export interface StoredChange {
  id: string;
  kind: ChangeKind;
  status: ChangeStatus;
  target: ChangeTarget;
  subject: ChangeSubject;
  plan: Plan;
  planHash: string;
  requestedBy: string;
  reason?: string;
  approversNeeded: number;
  approverGroup: string;
  createdAt: Date;
  expiresAt: Date;
  updatedAt: Date;
  runId?: string;
  error?: string;
}
