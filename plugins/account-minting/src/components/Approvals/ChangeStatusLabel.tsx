import {
  StatusError,
  StatusOK,
  StatusPending,
  StatusWarning,
} from '@backstage/core-components';
import { ChangeRequest } from '@regional-minting/plugin-account-minting-common';

/** A change's status with an icon: pending waits, started went on, the others ended it. */
export function ChangeStatusLabel(props: {
  change: Pick<ChangeRequest, 'status' | 'error'>;
}) {
  const { status, error } = props.change;
  switch (status) {
    case 'pending':
      return <StatusPending>pending</StatusPending>;
    case 'approved':
      return (
        <StatusWarning>
          {error ? `approved, not started: ${error}` : 'approved'}
        </StatusWarning>
      );
    case 'started':
      return <StatusOK>started</StatusOK>;
    default:
      return <StatusError>{status}</StatusError>;
  }
}
