import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { ReactNode } from 'react';
import {
  AccountQuota,
  CloseQuota,
  Plan,
} from '@regional-minting/plugin-account-minting-common';
import { fullTime } from './time';

/**
 * One change of a plan: the engine's plans (mint, bootstrap, provision) differ in
 * their actions' fields, but each action names itself and says why.
 */
export interface PlanActionLike {
  action: string;
  reason?: string;
  target?: string;
  [field: string]: unknown;
}

function formatValue(value: unknown): string {
  if (Array.isArray(value)) return value.map(formatValue).join(', ');
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value)
      .map(([key, v]) => `${key}=${formatValue(v)}`)
      .join(', ');
  }
  return String(value);
}

/** The fields of an action other than its name, target and reason, such as an email or tags. */
function detailOf(action: PlanActionLike): string {
  return Object.entries(action)
    .filter(([key]) => !['action', 'target', 'reason'].includes(key))
    .map(([key, value]) => `${key}: ${formatValue(value)}`)
    .join('; ');
}

/** Whether a stored plan has actions the table can show. */
export function planActionsOf(plan: unknown): PlanActionLike[] | undefined {
  const actions = (plan as { actions?: unknown } | undefined)?.actions;
  if (!Array.isArray(actions)) return undefined;
  return actions.every(
    a => typeof a === 'object' && a !== null && typeof a.action === 'string',
  )
    ? (actions as PlanActionLike[])
    : undefined;
}

/** The payer organization's accounts against its quota, as a plan that creates accounts shows them. */
export function QuotaLine(props: { quota?: AccountQuota }) {
  const { quota } = props;
  if (!quota) return null;
  return (
    <Typography
      variant="body2"
      color={quota.problem ? 'error' : 'textSecondary'}
      gutterBottom
      data-testid="plan-quota"
    >
      {quota.problem ??
        `Payer ${quota.payer}: ${quota.accounts} of ${quota.quota} accounts (${
          quota.quotaSource === 'config'
            ? 'from configuration'
            : 'Service Quotas'
        }); this plan creates ${quota.needed}, ${quota.left} left before it.`}
    </Typography>
  );
}

/**
 * The payer organization's close quota, as a plan that closes accounts shows it:
 * "3 closures left of 10 in the 30-day window; next slot 2 Dec 2026, 10:00".
 */
export function CloseQuotaLine(props: { quota?: CloseQuota }) {
  const { quota } = props;
  if (!quota) return null;
  const waits = quota.needed > quota.left;
  return (
    <Typography
      variant="body2"
      color={waits ? 'error' : 'textSecondary'}
      gutterBottom
      data-testid="plan-close-quota"
    >
      {`Payer ${quota.payer}: ${quota.left} closure${
        quota.left === 1 ? '' : 's'
      } left of ${quota.limit} in the ${quota.windowDays}-day window${
        quota.nextSlotAt ? `; next slot ${fullTime(quota.nextSlotAt)}` : ''
      }. This plan closes ${quota.needed}${
        waits ? `; ${quota.needed - quota.left} wait for the window` : ''
      }.`}
    </Typography>
  );
}

/** A plan whole: its quotas, then its actions. */
export function PlanView(props: { plan: Plan; heading: ReactNode }) {
  return (
    <>
      <QuotaLine quota={props.plan.quota} />
      <CloseQuotaLine quota={props.plan.closeQuota} />
      <PlanActionsTable actions={props.plan.actions} heading={props.heading} />
    </>
  );
}

const useStyles = makeStyles({
  // Action and target names are read whole: "create-account", never "create-accoun t".
  name: { whiteSpace: 'nowrap' },
  // Details (emails, tags) and reasons take the room left, broken between words.
  text: { width: '40%', overflowWrap: 'anywhere' },
});

/** A plan as a table: each action, what it acts on, what it changes and why. */
export function PlanActionsTable(props: {
  actions: PlanActionLike[];
  /** Says whose plan this is. */
  heading: ReactNode;
}) {
  const classes = useStyles();
  const changes = props.actions.filter(a => a.action !== 'none').length;
  return (
    <>
      <Typography variant="subtitle2" gutterBottom>
        {props.heading}:{' '}
        {changes === 0
          ? 'nothing to change'
          : `${changes} change${changes === 1 ? '' : 's'}`}
      </Typography>
      {props.actions.length > 0 && (
        <Table size="small" aria-label="plan">
          <TableHead>
            <TableRow>
              <TableCell className={classes.name}>Action</TableCell>
              <TableCell className={classes.name}>Target</TableCell>
              <TableCell className={classes.text}>Details</TableCell>
              <TableCell className={classes.text}>Why</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {props.actions.map((action, index) => (
              <TableRow key={index}>
                <TableCell className={classes.name}>{action.action}</TableCell>
                <TableCell className={classes.name}>
                  {action.target ?? ''}
                </TableCell>
                <TableCell className={classes.text}>
                  {detailOf(action)}
                </TableCell>
                <TableCell className={classes.text}>
                  {action.reason ?? ''}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </>
  );
}
