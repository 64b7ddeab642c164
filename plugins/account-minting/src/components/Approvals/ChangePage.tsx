import {
  EmptyState,
  InfoCard,
  Link,
  LinkButton,
  Progress,
  ResponseErrorPanel,
  StructuredMetadataTable,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  accountMintingChangeApprovePermission,
  ChangeRequest,
  describeChange,
} from '@regional-minting/plugin-account-minting-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import { useParams } from 'react-router-dom';
import { accountMintingApiRef } from '../../api';
import { useMintingPaths } from '../shared/paths';
import { PlanView } from '../shared/PlanActionsTable';
import { When } from '../shared/When';
import { useLiveValue } from '../shared/useLiveValue';
import { ChangeStatusLabel } from './ChangeStatusLabel';

const POLL_MS = 5000;

/** Approve or reject, with a comment, for members of the approver group. */
function Decide(props: { change: ChangeRequest; onDone(): void }) {
  const { change, onDone } = props;
  const api = useApi(accountMintingApiRef);
  const { allowed } = usePermission({
    permission: accountMintingChangeApprovePermission,
    resourceRef: change.environment,
  });
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error>();
  if (change.status !== 'pending' || !allowed) return null;
  const decide = async (decision: 'approve' | 'reject') => {
    setBusy(true);
    setError(undefined);
    try {
      const text = comment.trim() || undefined;
      await (decision === 'approve'
        ? api.approveChange(change.id, { comment: text })
        : api.rejectChange(change.id, { comment: text }));
      setComment('');
      onDone();
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Box mt={2}>
      <TextField
        id="change-comment"
        label="Comment"
        value={comment}
        onChange={e => setComment(e.target.value)}
        fullWidth
        multiline
        minRows={2}
        variant="outlined"
        inputProps={{ maxLength: 2000 }}
      />
      <Box display="flex" mt={1} style={{ gap: 8 }}>
        <Button
          variant="contained"
          color="primary"
          disabled={busy}
          onClick={() => decide('approve')}
        >
          Approve
        </Button>
        <Button
          variant="outlined"
          disabled={busy}
          onClick={() => decide('reject')}
        >
          Reject
        </Button>
      </Box>
      {error && (
        <Typography color="error" role="alert">
          {error.message}
        </Typography>
      )}
    </Box>
  );
}

/** One change request: what it would do, who asked and why, and who approved it so far. */
export function ChangePage() {
  const { changeId = '' } = useParams();
  const api = useApi(accountMintingApiRef);
  const paths = useMintingPaths();
  const { value, error, loading, reload } = useLiveValue(
    () => api.getChange(changeId),
    [api, changeId],
    {
      intervalMs: POLL_MS,
      live: change =>
        change.status === 'pending' || change.status === 'approved',
      reloadOn: signal =>
        signal.type === 'change' && signal.changeId === changeId,
    },
  );
  if (loading) return <Progress />;
  if (!value) {
    return error && (error as { statusCode?: number }).statusCode === 404 ? (
      <EmptyState
        missing="info"
        title="This change does not exist"
        description={`No change request has the id ${changeId}.`}
        action={
          <LinkButton to={paths.approvals} variant="contained" color="primary">
            Back to the approvals
          </LinkButton>
        }
      />
    ) : (
      <ResponseErrorPanel
        error={error ?? new Error('No change was returned')}
        title="The account-minting backend did not answer"
      />
    );
  }
  const change = value;
  const voided = change.decisions.filter(d => d.void).length;
  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <InfoCard title={describeChange(change)} subheader={change.id}>
          <StructuredMetadataTable
            dense
            options={{ titleFormat: title => title }}
            metadata={{
              Status: (
                <span data-testid="change-status">
                  <ChangeStatusLabel change={change} />
                </span>
              ),
              Approvals: (
                <span data-testid="change-approvals">
                  {change.approvals} of {change.approversNeeded} by{' '}
                  {change.approverGroup}
                </span>
              ),
              'Requested by': change.requestedBy,
              Reason: change.reason ?? '—',
              Environment: change.environment,
              Region: change.region,
              Asked: <When iso={change.createdAt} />,
              Expires: <When iso={change.expiresAt} />,
              Run: change.runId ? (
                <Link to={paths.run(change.runId)}>{change.runId}</Link>
              ) : (
                '—'
              ),
            }}
          />
          {voided > 0 && change.status === 'pending' && (
            <Typography color="textSecondary">
              The plan changed after {voided} approval{voided === 1 ? '' : 's'}{' '}
              (AWS or the configuration changed): they no longer count.
            </Typography>
          )}
          <Decide change={change} onDone={reload} />
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <InfoCard title="Plan">
          <PlanView
            plan={change.plan}
            heading={`What it would do in ${change.plan.payer}`}
          />
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <InfoCard title="Decisions">
          {change.decisions.length === 0 ? (
            <Typography color="textSecondary">No decision yet.</Typography>
          ) : (
            change.decisions.map((d, i) => (
              <Typography key={i} variant="body2">
                {d.by} {d.decision === 'approve' ? 'approved' : 'rejected'}
                {d.void ? ' (an earlier plan; void)' : ''} <When iso={d.at} />
                {d.comment ? `: ${d.comment}` : ''}
              </Typography>
            ))
          )}
        </InfoCard>
      </Grid>
    </Grid>
  );
}
