import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusRunning,
  StatusWarning,
} from '@backstage/core-components';
import { ReactNode } from 'react';

/**
 * Every status the portal shows: runs' and steps', and the estate's own ones
 * (an account desired but not in AWS yet, in AWS but not desired, closed, never run).
 */
export type DisplayStatus =
  | 'queued'
  | 'pending'
  | 'running'
  | 'succeeded'
  | 'failed'
  | 'cancelled'
  | 'blocked'
  | 'missing'
  | 'unmanaged'
  | 'closed'
  | 'never';

const LABELS: Record<DisplayStatus, string> = {
  queued: 'queued',
  pending: 'pending',
  running: 'running',
  succeeded: 'succeeded',
  failed: 'failed',
  cancelled: 'cancelled',
  blocked: 'blocked',
  missing: 'not in AWS',
  unmanaged: 'not desired',
  closed: 'closed',
  never: 'never run',
};

/** The icon and word of a status, as Backstage shows statuses elsewhere. */
export function StatusLabel(props: {
  status: DisplayStatus;
  /** Shown instead of the status's word. */
  children?: ReactNode;
}) {
  const text = props.children ?? LABELS[props.status];
  switch (props.status) {
    case 'succeeded':
      return <StatusOK>{text}</StatusOK>;
    case 'failed':
    case 'blocked':
      return <StatusError>{text}</StatusError>;
    case 'running':
      return <StatusRunning>{text}</StatusRunning>;
    case 'queued':
    case 'pending':
    case 'never':
      return <StatusPending>{text}</StatusPending>;
    case 'missing':
    case 'unmanaged':
      return <StatusWarning>{text}</StatusWarning>;
    default:
      return <StatusAborted>{text}</StatusAborted>;
  }
}

export function statusWord(status: DisplayStatus): string {
  return LABELS[status];
}
