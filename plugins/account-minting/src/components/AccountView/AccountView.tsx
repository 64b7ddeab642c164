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
import { accountMintingRunExecutePermission } from '@regional-minting/plugin-account-minting-common';
import Grid from '@material-ui/core/Grid';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import Button from '@material-ui/core/Button';
import { useRef, useState } from 'react';
import { useParams } from 'react-router-dom';
import { accountMintingApiRef } from '../../api';
import { GuardedActionButton } from '../shared/changes';
import { ACCOUNT_PIPELINES, accountStatus } from '../EstateTree/estateModel';
import { useMintingPaths } from '../shared/paths';
import { StatusLabel } from '../shared/StatusLabel';
import { ago, durationBetween, fullTime, isUnderWay } from '../shared/time';
import { useLiveValue } from '../shared/useLiveValue';
import { DecommissionDialog, useRegionPermissions } from '../RegionView';
import { findAccount, resultsByPipeline } from './accountHistory';
import { CatalogLink } from './CatalogLink';

// The runs of a region read for an account's history; older ones are in the runs list.
const HISTORY_RUNS = 10;

/** Buttons that run one pipeline on the account out of band, for users allowed to in its environment. */
function RunButtons(props: {
  environment: string;
  region: string;
  account: string;
}) {
  const api = useApi(accountMintingApiRef);
  const { allowed } = usePermission({
    permission: accountMintingRunExecutePermission,
    resourceRef: props.environment,
  });
  if (!allowed) return null;
  return (
    <>
      {ACCOUNT_PIPELINES.map(pipeline => (
        <Grid item key={pipeline}>
          <GuardedActionButton
            label={`Run ${pipeline}`}
            title={`Run ${pipeline} on ${props.account}`}
            description={`Runs the ${pipeline} pipeline on the account ${props.account} of ${props.region}.`}
            environment={props.environment}
            regionOu={props.region}
            act={reason =>
              api.startRun({
                pipeline,
                region: props.region,
                account: props.account,
                reason,
              })
            }
          />
        </Grid>
      ))}
    </>
  );
}

/** Decommissions the account alone, for users allowed to close accounts in its environment. */
function DecommissionAccountButton(props: {
  environment: string;
  region: string;
  account: string;
}) {
  const allowed = useRegionPermissions(props.environment).decommission;
  const [open, setOpen] = useState(false);
  if (!allowed) return null;
  return (
    <Grid item>
      <Button
        variant="outlined"
        color="secondary"
        onClick={() => setOpen(true)}
      >
        Decommission account
      </Button>
      {open && (
        <DecommissionDialog
          regionOu={props.region}
          environment={props.environment}
          accounts={[props.account]}
          onClose={() => setOpen(false)}
        />
      )}
    </Grid>
  );
}

/** One account: where it is, what it carries, and how each pipeline went on it. */
export function AccountView() {
  const { accountName = '' } = useParams();
  const api = useApi(accountMintingApiRef);
  const paths = useMintingPaths();
  // The account's region, once known: the runs whose end is worth a reload.
  const regionRef = useRef<string>();
  const found = useLiveValue(
    async () => {
      const located = findAccount(await api.getEstate(), accountName);
      if (!located) return undefined;
      const runs = (await api.listRuns({ region: located.region.name })).items
        .filter(r => !r.account || r.account === accountName)
        .slice(0, HISTORY_RUNS);
      const withSteps = await Promise.all(runs.map(r => api.getRun(r.id)));
      return { located, history: resultsByPipeline(withSteps, accountName) };
    },
    [api, accountName],
    {
      intervalMs: 3000,
      // Followed while a run on the account goes on.
      live: value =>
        Object.values(value?.history ?? {}).some(results =>
          results.some(r => isUnderWay(r.status)),
        ),
      reloadOn: signal =>
        signal.type === 'run' && signal.region === regionRef.current,
    },
  );
  regionRef.current = found.value?.located.region.name;

  if (found.loading) return <Progress />;
  if (found.error && !found.value) {
    return (
      <ResponseErrorPanel
        title={`Account ${accountName} could not be read`}
        error={found.error}
      />
    );
  }
  if (!found.value) {
    return (
      <EmptyState
        missing="data"
        title={`No account ${accountName} in the estate`}
        description="It is neither desired nor found in any payer's platform OU. It may have been renamed or moved out."
        action={
          <LinkButton to={paths.estate} variant="outlined">
            Back to the estate
          </LinkButton>
        }
      />
    );
  }
  const { located, history } = found.value;
  const { account, region, environment } = located;

  return (
    <Grid container spacing={3}>
      <Grid item xs={12} md={6}>
        <InfoCard title={account.name}>
          <StructuredMetadataTable
            options={{ titleFormat: title => title }}
            metadata={{
              Status: <StatusLabel status={accountStatus(account)} />,
              'Account id': account.id ?? 'not created yet',
              Email: account.email ?? '',
              'AWS status': account.status ?? 'not in AWS',
              Role: account.role ?? 'not desired',
              Payer: `${located.payer.name} (${located.payer.accountId})`,
              'OU path': located.ouPath.join(' / '),
              'Service control policies':
                [
                  ...(located.payer.platformOu.policies ?? []),
                  ...(located.payer.environments.find(
                    e => e.name === environment,
                  )?.policies ?? []),
                  ...(region.policies ?? []),
                ].join(', ') || 'none declared',
              // The product's region, named by its region OU; the AWS one is below.
              Region: (
                <Link
                  to={
                    region.desired
                      ? paths.region(region.name)
                      : `${paths.estate}?q=${encodeURIComponent(region.name)}`
                  }
                >
                  {region.name}
                </Link>
              ),
              'AWS region': region.region ?? 'unknown',
              // The catalog publishes the desired accounts of desired regions.
              Catalog:
                account.desired && region.desired ? (
                  <CatalogLink account={account.name} />
                ) : (
                  'not in the catalog, as the account is not desired'
                ),
            }}
          />
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={6}>
        <InfoCard title="Tags">
          {Object.keys(account.tags).length === 0 ? (
            <Typography>No tags read from AWS.</Typography>
          ) : (
            // Keys as AWS has them, such as managed-by, not prettified.
            <StructuredMetadataTable
              metadata={account.tags}
              options={{ titleFormat: key => key }}
            />
          )}
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <InfoCard
          title="Pipelines"
          subheader="Each pipeline's last runs on this account"
        >
          <Grid container spacing={1}>
            <RunButtons
              environment={environment}
              region={region.name}
              account={account.name}
            />
            {account.desired && region.desired && (
              <DecommissionAccountButton
                environment={environment}
                region={region.name}
                account={account.name}
              />
            )}
          </Grid>
          <Table size="small" aria-label="pipeline runs">
            <TableHead>
              <TableRow>
                <TableCell>Pipeline</TableCell>
                <TableCell>Status</TableCell>
                <TableCell>Run</TableCell>
                <TableCell>Started</TableCell>
                <TableCell>Duration</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {ACCOUNT_PIPELINES.flatMap(pipeline =>
                history[pipeline].length === 0
                  ? [
                      <TableRow key={pipeline}>
                        <TableCell>{pipeline}</TableCell>
                        <TableCell colSpan={4}>
                          <StatusLabel status="never" />
                        </TableCell>
                      </TableRow>,
                    ]
                  : history[pipeline].map(result => (
                      <TableRow key={`${pipeline}-${result.runId}`}>
                        <TableCell>{pipeline}</TableCell>
                        <TableCell>
                          <StatusLabel status={result.status} />
                        </TableCell>
                        <TableCell>
                          <Link to={paths.run(result.runId)}>
                            {result.runPipeline} run
                          </Link>
                        </TableCell>
                        <TableCell title={fullTime(result.startedAt)}>
                          {ago(result.startedAt) ?? 'not started'}
                        </TableCell>
                        <TableCell>
                          {durationBetween(
                            result.startedAt,
                            result.finishedAt,
                          ) ?? ''}
                        </TableCell>
                      </TableRow>
                    )),
              )}
            </TableBody>
          </Table>
          <LinkButton
            to={`${paths.runs}?region=${encodeURIComponent(region.name)}`}
          >
            All runs of {region.name}
          </LinkButton>
        </InfoCard>
      </Grid>
    </Grid>
  );
}
