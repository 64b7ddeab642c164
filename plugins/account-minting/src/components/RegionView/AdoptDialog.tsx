import { Progress } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import {
  ChangeResponse,
  PlanResponse,
  RegionRequestError,
  RegionSummary,
  RunRecord,
} from '@regional-minting/plugin-account-minting-common';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import Grid from '@material-ui/core/Grid';
import Switch from '@material-ui/core/Switch';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { useMemo, useState } from 'react';
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
import {
  accountIdProblem,
  accountIdsIn,
  AdoptSlot,
  adoptRequestOf,
  adoptSlotsOf,
  firstFreeSlot,
  slotField,
} from './adoptSlots';
import { planOf, startedOf } from './answers';

/** The backend's 400 by field, or its message as the form's ('' is the form as a whole). */
function problemsOf(error: Error): Record<string, string> {
  return error instanceof RegionRequestError && Object.keys(error.fields).length
    ? error.fields
    : { '': error.message };
}

/** The account id field of a slot: the account there already, or one to adopt, checked as typed. */
function SlotField(props: {
  slot: AdoptSlot;
  value: string;
  problem?: string;
  disabled: boolean;
  onChange(value: string): void;
}) {
  const { slot } = props;
  const problem = props.problem ?? accountIdProblem(props.value);
  return (
    <TextField
      id={`adopt-${slot.role}-${slot.index}`}
      label={`${slot.role} [${slot.index}]`}
      fullWidth
      variant="outlined"
      size="small"
      value={slot.taken ?? props.value}
      disabled={props.disabled || slot.taken !== undefined}
      onChange={e => props.onChange(e.target.value.trim())}
      error={!!problem}
      helperText={
        problem ??
        (slot.taken
          ? `${slot.name} has this account already`
          : `12-digit id of the account to become ${slot.name}`)
      }
      inputProps={{ inputMode: 'numeric', maxLength: 12 }}
    />
  );
}

/**
 * Adopts existing accounts into a region's free slots: an id per slot, or matched by the
 * names and emails this product would give them; previews the plan (moves, tags,
 * renames, blocked accounts), then asks for the region OU's name typed to start.
 */
export function AdoptDialog(props: {
  region: RegionSummary;
  /** An account id to put in the first free slot, such as a stray account's. */
  prefillAccountId?: string;
  onClose(): void;
  onStarted?(outcome: RunRecord | ChangeResponse): void;
}) {
  const { region } = props;
  const api = useApi(accountMintingApiRef);
  const environment = useEnvironment(region.environment);
  const approval = environment?.approval;
  const confirmation = useConfirmation(region.name, approval);
  const estate = useAsync(() => api.getEstate(), [api]);
  const slots = useMemo(
    () =>
      estate.value
        ? adoptSlotsOf(region, accountIdsIn(estate.value, region.name))
        : undefined,
    [estate.value, region],
  );
  const [typed, setTyped] = useState<Record<string, string>>();
  const [matchByName, setMatchByName] = useState(false);
  const [plan, setPlan] = useState<PlanResponse>();
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<RunRecord | ChangeResponse>();

  // The prefilled id goes in once the slots are known.
  const free = slots && firstFreeSlot(slots);
  const values =
    typed ??
    (free && props.prefillAccountId
      ? { [slotField(free)]: props.prefillAccountId }
      : {});
  const request = slots && adoptRequestOf(slots, values, matchByName);

  const change = (next: () => void) => {
    next();
    setPlan(undefined);
    setProblems({});
  };
  const ask = async (dryRun: boolean) => {
    if (!request?.body) {
      setProblems(request?.problems ?? {});
      return;
    }
    setBusy(true);
    setProblems({});
    try {
      const answer = await api.adopt(region.name, {
        ...request.body,
        ...(dryRun ? { dryRun } : { reason: confirmation.reasonGiven }),
      });
      if (dryRun) {
        setPlan(planOf(answer));
      } else {
        const started = startedOf(answer);
        setOutcome(started);
        props.onStarted?.(started);
      }
    } catch (e) {
      setProblems(problemsOf(e as Error));
    } finally {
      setBusy(false);
    }
  };
  const fieldNames = new Set(slots?.map(slotField));
  const formProblems = Object.entries(problems).filter(
    ([field]) => !fieldNames.has(field),
  );

  return (
    <Dialog open onClose={props.onClose} fullWidth maxWidth="md">
      <DialogTitle>Adopt accounts into {region.name}</DialogTitle>
      <DialogContent>
        {outcome ? (
          <OutcomeNote
            what={`Adoption of accounts into ${region.name}`}
            outcome={outcome}
          />
        ) : (
          <>
            <DialogContentText>
              Each account is moved into {region.name}, tagged, renamed to its
              slot's name where it differs, then bootstrapped and provisioned as
              a minted account is. Accounts outside payer {region.payer}'s
              organization, of another region, or closed are refused.
            </DialogContentText>
            {estate.loading && <Progress />}
            {estate.error && (
              <Typography color="error" role="alert">
                The estate could not be read: {estate.error.message}
              </Typography>
            )}
            <FormControlLabel
              control={
                <Switch
                  checked={matchByName}
                  onChange={e => change(() => setMatchByName(e.target.checked))}
                  color="primary"
                />
              }
              label="Match by name or email (accounts another tool made with the same naming)"
            />
            {slots && slots.length === 0 && (
              <Typography color="textSecondary">
                {region.name} has no account slots; scale it up first.
              </Typography>
            )}
            {slots && !matchByName && (
              <Grid container spacing={2}>
                {slots.map(slot => (
                  <Grid item xs={12} sm={6} key={slotField(slot)}>
                    <SlotField
                      slot={slot}
                      value={values[slotField(slot)] ?? ''}
                      problem={problems[slotField(slot)]}
                      disabled={busy}
                      onChange={value =>
                        change(() =>
                          setTyped({ ...values, [slotField(slot)]: value }),
                        )
                      }
                    />
                  </Grid>
                ))}
              </Grid>
            )}
            {formProblems.map(([field, message]) => (
              <Typography key={field} color="error" role="alert">
                {field ? `${field}: ${message}` : message}
              </Typography>
            ))}
            {plan && (
              <>
                <PlanView
                  plan={plan.plan}
                  heading={`Plan in payer ${plan.plan.payer}`}
                />
                <ConfirmFields
                  confirmation={confirmation}
                  regionOu={region.name}
                  environment={region.environment}
                  approval={approval}
                />
              </>
            )}
          </>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onClose}>{outcome ? 'Close' : 'Cancel'}</Button>
        {!outcome && (
          <>
            <Button
              variant="outlined"
              disabled={!slots || busy}
              onClick={() => ask(true)}
            >
              Preview
            </Button>
            <Button
              color="primary"
              variant="contained"
              disabled={!plan || !environment || !confirmation.ready || busy}
              onClick={() => ask(false)}
            >
              {confirmLabelOf('Adopt', approval)}
            </Button>
          </>
        )}
      </DialogActions>
    </Dialog>
  );
}
