import { Progress } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import {
  ChangeResponse,
  PlanAction,
  RunRecord,
} from '@regional-minting/plugin-account-minting-common';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { accountMintingApiRef } from '../../api';
import {
  ConfirmFields,
  confirmLabelOf,
  useConfirmation,
  useEnvironment,
} from '../shared/changes';
import { OutcomeNote } from '../shared/OutcomeNote';
import { PlanView } from '../shared/PlanActionsTable';
import { planOf, startedOf } from './answers';

const CLOSING = ['close-account', 'wait-for-closure', 'wait-for-close-quota'];

function targetsOf(actions: PlanAction[], kinds: string[]): string[] {
  return [
    ...new Set(
      actions.filter(a => kinds.includes(a.action)).map(a => a.target),
    ),
  ];
}

/** The plan in a few lines: what is closed, destroyed, left in place and deleted. */
function DecommissionSummary(props: { actions: PlanAction[] }) {
  const lines = [
    ['Accounts closed', targetsOf(props.actions, CLOSING)],
    ['Provisioning destroyed', targetsOf(props.actions, ['destroy'])],
    [
      'Left in place (their provisioner cannot destroy them)',
      targetsOf(props.actions, ['leave-in-place']),
    ],
    ['OU deleted', targetsOf(props.actions, ['delete-ou'])],
  ] as const;
  return (
    <>
      {lines
        .filter(([, targets]) => targets.length > 0)
        .map(([what, targets]) => (
          <Typography key={what} variant="body2" gutterBottom>
            <strong>{what}:</strong> {targets.join(', ')}
          </Typography>
        ))}
    </>
  );
}

/**
 * Decommissions a region, or some of its accounts: shows the dry run's plan first, then
 * asks for the region OU's name typed (and why, where the environment asks), and
 * answers with a link to the run or to the change waiting for approval.
 */
export function DecommissionDialog(props: {
  regionOu: string;
  environment: string;
  /** Only these accounts of the region; the whole region when absent. */
  accounts?: string[];
  onClose(): void;
  /** Called once the decommission started or waits for approval. */
  onStarted?(outcome: RunRecord | ChangeResponse): void;
}) {
  const api = useApi(accountMintingApiRef);
  const environment = useEnvironment(props.environment);
  const approval = environment?.approval;
  const confirmation = useConfirmation(props.regionOu, approval);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error>();
  const [outcome, setOutcome] = useState<RunRecord | ChangeResponse>();
  const { accounts, regionOu } = props;
  const plan = useAsync(
    async () =>
      planOf(await api.decommission(regionOu, { accounts, dryRun: true })),
    [api, regionOu, accounts?.join(',')],
  );
  const what = accounts
    ? `Decommission of ${accounts.join(', ')}`
    : `Decommission of ${regionOu}`;

  const confirm = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const started = startedOf(
        await api.decommission(regionOu, {
          accounts,
          reason: confirmation.reasonGiven,
        }),
      );
      setOutcome(started);
      props.onStarted?.(started);
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog open onClose={props.onClose} fullWidth maxWidth="md">
      <DialogTitle>
        {accounts
          ? `Decommission ${accounts.join(', ')}`
          : `Decommission region ${regionOu}`}
      </DialogTitle>
      <DialogContent>
        {outcome ? (
          <OutcomeNote what={what} outcome={outcome} />
        ) : (
          <>
            <DialogContentText>
              {accounts
                ? `Destroys what was provisioned in ${accounts.join(
                    ', ',
                  )}, removes their provisioning role, moves them to the closed OU and closes them. `
                : `Tears down ${regionOu}: destroys what was provisioned in each of its accounts, closes them and deletes the region OU. `}
              AWS keeps closed accounts suspended for 90 days; they cannot be
              used again.
            </DialogContentText>
            {plan.loading && <Progress />}
            {plan.error && (
              <Typography color="error" role="alert">
                The plan could not be read: {plan.error.message}
              </Typography>
            )}
            {plan.value && (
              <>
                <DecommissionSummary actions={plan.value.plan.actions} />
                <PlanView
                  plan={plan.value.plan}
                  heading={`Plan in payer ${plan.value.plan.payer}`}
                />
                <ConfirmFields
                  confirmation={confirmation}
                  regionOu={regionOu}
                  environment={props.environment}
                  approval={approval}
                />
              </>
            )}
            {error && (
              <Typography color="error" role="alert">
                {error.message}
              </Typography>
            )}
          </>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onClose}>{outcome ? 'Close' : 'Cancel'}</Button>
        {!outcome && (
          <Button
            color="secondary"
            variant="contained"
            disabled={
              !plan.value || !environment || !confirmation.ready || busy
            }
            onClick={confirm}
          >
            {confirmLabelOf('Decommission', approval)}
          </Button>
        )}
      </DialogActions>
    </Dialog>
  );
}
