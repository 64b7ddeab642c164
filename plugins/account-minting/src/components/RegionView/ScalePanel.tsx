import { useApi } from '@backstage/frontend-plugin-api';
import {
  AccountRoleView,
  PlanResponse,
  RegionRequestError,
  RegionSummary,
} from '@regional-minting/plugin-account-minting-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import { accountMintingApiRef } from '../../api';
import { GuardedActionButton } from '../shared/changes';
import { PlanView } from '../shared/PlanActionsTable';
import { planOf, startedOf } from './answers';

/** The field of a role's count, as the backend names it in its 400. */
const countField = (role: string) => `accountRoles.${role}`;

/** How many accounts of each role the region has now. */
function countsOf(
  region: RegionSummary,
  roles: AccountRoleView[],
): Record<string, string> {
  return Object.fromEntries(
    roles.map(role => [
      role.name,
      String(region.accounts.filter(a => a.role === role.name).length),
    ]),
  );
}

/** What is wrong with a typed count of a role, if anything. */
function countProblem(
  typed: string,
  role: AccountRoleView,
): string | undefined {
  if (!/^[0-9]+$/.test(typed)) return 'A count is a whole number';
  const count = Number(typed);
  return count > role.maxCount
    ? `At most ${role.maxCount} ${role.name} accounts`
    : undefined;
}

/**
 * Scales a requested region: a count per account role, the plan of the change, then
 * the change itself, confirmed with the region OU's name typed (a smaller count closes
 * the surplus accounts, highest index first).
 */
export function ScalePanel(props: {
  region: RegionSummary;
  roles: AccountRoleView[];
  /** Whether the user may add accounts in the region's environment. */
  mayGrow: boolean;
  /** Whether the user may close accounts there, as fewer accounts do. */
  mayShrink: boolean;
}) {
  const { region, roles } = props;
  const api = useApi(accountMintingApiRef);
  const [counts, setCounts] = useState(() => countsOf(region, roles));
  const [plan, setPlan] = useState<PlanResponse>();
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [previewing, setPreviewing] = useState(false);

  if (region.source === 'config') {
    return (
      <Typography color="textSecondary">
        {region.name} is declared in configuration (accountMinting.regions):
        change its account counts there, and the next run follows.
      </Typography>
    );
  }
  const localProblems = Object.fromEntries(
    roles.flatMap(role => {
      const problem = countProblem(counts[role.name] ?? '', role);
      return problem ? [[countField(role.name), problem]] : [];
    }),
  );
  const current = countsOf(region, roles);
  const direction = (compare: (typed: number, now: number) => boolean) =>
    roles.some(role =>
      compare(Number(counts[role.name]), Number(current[role.name])),
    );
  const refusal =
    (direction((typed, now) => typed < now) && !props.mayShrink
      ? `You may not close accounts in ${region.environment}, as fewer accounts do. `
      : '') +
    (direction((typed, now) => typed > now) && !props.mayGrow
      ? `You may not add accounts in ${region.environment}.`
      : '');
  const invalid = Object.keys(localProblems).length > 0 || refusal !== '';
  const body = {
    accountRoles: Object.fromEntries(
      roles.map(role => [role.name, Number(counts[role.name])]),
    ),
  };
  const unchanged = roles.every(
    role => counts[role.name] === current[role.name],
  );
  /** Puts the backend's field errors beside their fields, and passes the failure on. */
  const reading = async <T,>(call: Promise<T>): Promise<T> => {
    try {
      return await call;
    } catch (e) {
      if (e instanceof RegionRequestError) setProblems(e.fields);
      throw e;
    }
  };
  const preview = async () => {
    setPreviewing(true);
    setProblems({});
    try {
      setPlan(
        planOf(
          await reading(
            api.scaleRegion(region.name, { ...body, dryRun: true }),
          ),
        ),
      );
    } catch (e) {
      if (!(e instanceof RegionRequestError)) {
        setProblems({ '': (e as Error).message });
      }
    } finally {
      setPreviewing(false);
    }
  };
  const otherProblems = Object.entries(problems).filter(
    ([field]) => !roles.some(role => countField(role.name) === field),
  );

  return (
    <>
      <Grid container spacing={2}>
        {roles.map(role => {
          const problem =
            localProblems[countField(role.name)] ??
            problems[countField(role.name)];
          return (
            <Grid item xs={12} sm={6} md={4} key={role.name}>
              <TextField
                id={`scale-${role.name}`}
                fullWidth
                type="number"
                variant="outlined"
                size="small"
                label={role.name}
                value={counts[role.name] ?? ''}
                onChange={e => {
                  setCounts({ ...counts, [role.name]: e.target.value });
                  setPlan(undefined);
                  setProblems({});
                }}
                inputProps={{ min: 0, max: role.maxCount, step: 1 }}
                error={!!problem}
                helperText={problem ?? `0 to ${role.maxCount}`}
              />
            </Grid>
          );
        })}
      </Grid>
      {refusal && (
        <Typography color="textSecondary" gutterBottom>
          {refusal.trim()}
        </Typography>
      )}
      {otherProblems.map(([field, message]) => (
        <Typography key={field} color="error" role="alert">
          {field ? `${field}: ${message}` : message}
        </Typography>
      ))}
      <Box display="flex" gridGap={8} mt={2} mb={2}>
        <Button
          variant="outlined"
          disabled={invalid || unchanged || previewing}
          onClick={preview}
        >
          Preview
        </Button>
        <GuardedActionButton
          label="Apply"
          ariaLabel="Apply the new counts"
          title={`Scale ${region.name}`}
          description={`Changes the account counts of ${region.name} as the plan shows; fewer accounts decommission the surplus ones, highest index first, and close them.`}
          environment={region.environment}
          regionOu={region.name}
          alwaysConfirm
          variant="contained"
          disabled={invalid || !plan}
          act={async reason =>
            startedOf(
              await reading(api.scaleRegion(region.name, { ...body, reason })),
            )
          }
        />
      </Box>
      {plan && (
        <PlanView
          plan={plan.plan}
          heading={`Plan to scale ${plan.region} in payer ${plan.plan.payer}`}
        />
      )}
    </>
  );
}
