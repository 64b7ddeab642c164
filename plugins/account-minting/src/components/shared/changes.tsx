import { useApi } from '@backstage/frontend-plugin-api';
import {
  AccountMintingApi,
  ChangeResponse,
  EnvironmentView,
  isChangeResponse,
  MintingConfigView,
  RunRecord,
} from '@regional-minting/plugin-account-minting-common';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { ReactNode, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import useAsync from 'react-use/esm/useAsync';
import { accountMintingApiRef } from '../../api';
import { MintingPaths, useMintingPaths } from './paths';

/** The approval an environment's changes wait for, if any. */
export type Approval = NonNullable<EnvironmentView['approval']>;

// One configuration read per client, shared by every button of a page (a list has one per row);
// a failed read is forgotten, so that the next button asks again.
const configs = new WeakMap<object, Promise<MintingConfigView>>();

function configOf(api: AccountMintingApi): Promise<MintingConfigView> {
  let config = configs.get(api);
  if (!config) {
    config = api.getConfig();
    configs.set(api, config);
    config.catch(() => configs.delete(api));
  }
  return config;
}

/** The configuration of an environment: whether its changes need approval. */
export function useEnvironment(name: string | undefined) {
  const api = useApi(accountMintingApiRef);
  const { value } = useAsync(async () => configOf(api), [api]);
  return value?.environments.find(e => e.name === name);
}

/** "Changes in prod wait for 2 approvals by group:default/platform-approvers." */
export function approvalNote(environment: string, approval: Approval): string {
  return `Changes in ${environment} wait for ${approval.approvers} approval${
    approval.approvers === 1 ? '' : 's'
  } by ${approval.group}; you cannot approve your own.`;
}

/** The page of what an action started: its run, or the change that waits for approval. */
export function outcomePath(
  paths: MintingPaths,
  outcome: RunRecord | ChangeResponse,
): string {
  return isChangeResponse(outcome)
    ? paths.change(outcome.change.id)
    : paths.run(outcome.id);
}

/** Opens the page of what an action started: its run, or the change that waits for approval. */
export function useShowOutcome() {
  const navigate = useNavigate();
  const paths = useMintingPaths();
  return (outcome: RunRecord | ChangeResponse) =>
    navigate(outcomePath(paths, outcome));
}

/** What a person confirming a change has typed: the region OU's name, and why. */
export function useConfirmation(regionOu: string, approval?: Approval) {
  const [reason, setReason] = useState('');
  const [typed, setTyped] = useState('');
  const reasonNeeded = approval?.reasonRequired ?? false;
  return {
    reason,
    setReason,
    typed,
    setTyped,
    /** The name typed matches, and a reason is given where the environment asks for one. */
    ready: typed === regionOu && (!reasonNeeded || reason.trim() !== ''),
    /** The reason to send, if any. */
    reasonGiven: reason.trim() || undefined,
  };
}

/**
 * The fields that confirm a change: the approval it waits for, why (where the
 * environment has approval), and the region OU's name typed, as GitHub asks for a
 * repository's.
 */
export function ConfirmFields(props: {
  confirmation: ReturnType<typeof useConfirmation>;
  regionOu: string;
  environment: string;
  approval?: Approval;
}) {
  const { confirmation, approval } = props;
  return (
    <>
      {approval && (
        <DialogContentText>
          {approvalNote(props.environment, approval)}
        </DialogContentText>
      )}
      {approval && (
        <TextField
          id="change-reason"
          label={approval.reasonRequired ? 'Reason (required)' : 'Reason'}
          value={confirmation.reason}
          onChange={e => confirmation.setReason(e.target.value)}
          fullWidth
          multiline
          minRows={2}
          margin="normal"
          variant="outlined"
          inputProps={{ maxLength: 2000 }}
        />
      )}
      <TextField
        id="change-confirm"
        label={`Type ${props.regionOu} to confirm`}
        value={confirmation.typed}
        onChange={e => confirmation.setTyped(e.target.value)}
        fullWidth
        margin="normal"
        variant="outlined"
        autoComplete="off"
      />
    </>
  );
}

/**
 * The confirmation of an action on a region of an environment that needs approval,
 * or of one that cannot be undone there: the person says why (where the environment
 * asks), and types the region OU's name.
 */
export function ConfirmChangeDialog(props: {
  open: boolean;
  title: string;
  /** What the action does, in a sentence. */
  description: ReactNode;
  regionOu: string;
  environment: string;
  approval?: Approval;
  confirmLabel: string;
  busy?: boolean;
  error?: Error;
  onCancel(): void;
  onConfirm(reason: string | undefined): void;
}) {
  const confirmation = useConfirmation(props.regionOu, props.approval);
  return (
    <Dialog open={props.open} onClose={props.onCancel} fullWidth maxWidth="sm">
      <DialogTitle>{props.title}</DialogTitle>
      <DialogContent>
        <DialogContentText>{props.description}</DialogContentText>
        <ConfirmFields
          confirmation={confirmation}
          regionOu={props.regionOu}
          environment={props.environment}
          approval={props.approval}
        />
        {props.error && (
          <Typography color="error" role="alert">
            {props.error.message}
          </Typography>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onCancel}>Cancel</Button>
        <Button
          color="primary"
          variant="contained"
          disabled={!confirmation.ready || props.busy}
          onClick={() => props.onConfirm(confirmation.reasonGiven)}
        >
          {confirmLabelOf(props.confirmLabel, props.approval)}
        </Button>
      </DialogActions>
    </Dialog>
  );
}

/** "Decommission", or "Decommission for approval" where the change waits for it. */
export function confirmLabelOf(label: string, approval?: Approval): string {
  return approval ? `${label} for approval` : label;
}

/**
 * A button that acts on a region: at once where its environment needs no approval,
 * else through the confirmation dialog, which asks for the reason. Opens what the
 * action started (a run, or the change waiting for approval).
 */
export function GuardedActionButton(props: {
  label: string;
  /** The button's accessible name, where its label alone is ambiguous (one per row). */
  ariaLabel?: string;
  /** The dialog's title and sentence, for environments that need approval. */
  title: string;
  description: ReactNode;
  environment: string;
  regionOu: string;
  /** Confirms even without approval, for what cannot be undone (such as cancelling a prod run). */
  alwaysConfirm?: boolean;
  /** For actions that change nothing in AWS (cancelling): never a change request. */
  skipApproval?: boolean;
  disabled?: boolean;
  variant?: 'outlined' | 'contained' | 'text';
  act(reason: string | undefined): Promise<RunRecord | ChangeResponse>;
  /** What to do with the outcome; opens its page unless told. */
  onDone?(outcome: RunRecord | ChangeResponse): void;
}) {
  const environment = useEnvironment(props.environment);
  const showOutcome = useShowOutcome();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error>();
  const approval = props.skipApproval ? undefined : environment?.approval;
  // Until its environment is known, whether the action needs approval is not.
  const loading = props.environment !== '' && !environment;
  const act = async (reason?: string) => {
    setBusy(true);
    setError(undefined);
    try {
      const outcome = await props.act(reason);
      setOpen(false);
      (props.onDone ?? showOutcome)(outcome);
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(false);
    }
  };
  const confirming = approval !== undefined || props.alwaysConfirm;
  return (
    <>
      <Button
        variant={props.variant ?? 'outlined'}
        color="primary"
        disabled={props.disabled || busy || loading}
        onClick={() => (confirming ? setOpen(true) : act())}
        title={approval ? approvalNote(props.environment, approval) : undefined}
        aria-label={props.ariaLabel}
      >
        {props.label}
        {approval ? ' (needs approval)' : ''}
      </Button>
      {!open && error && (
        <Typography color="error" role="alert">
          {error.message}
        </Typography>
      )}
      {open && (
        <ConfirmChangeDialog
          open
          title={props.title}
          description={props.description}
          regionOu={props.regionOu}
          environment={props.environment}
          approval={approval}
          confirmLabel={props.label}
          busy={busy}
          error={error}
          onCancel={() => setOpen(false)}
          onConfirm={reason => act(reason)}
        />
      )}
    </>
  );
}
