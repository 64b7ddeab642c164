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
import {
  AccountRoleView,
  RegionSummary,
} from '@regional-minting/plugin-account-minting-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import { useParams } from 'react-router-dom';
import { accountMintingApiRef } from '../../api';
import { isNotFound } from '../shared/errors';
import { useMintingPaths } from '../shared/paths';
import { StatusLabel } from '../shared/StatusLabel';
import { isUnderWay } from '../shared/time';
import { useLiveValue } from '../shared/useLiveValue';
import { When } from '../shared/When';
import { AdoptDialog } from './AdoptDialog';
import { accountIdsIn } from './adoptSlots';
import { DecommissionDialog } from './DecommissionDialog';
import { ScalePanel } from './ScalePanel';
import { useRegionPermissions } from './useRegionPermissions';

const POLL_MS = 3000;

/** A region as the view shows it: its summary, its accounts' ids and the roles it may have. */
interface RegionData {
  region: RegionSummary;
  accountIds: Map<string, string>;
  roles: AccountRoleView[];
}

function isRetired(region: RegionSummary): boolean {
  return (
    region.status === 'decommissioning' || region.status === 'decommissioned'
  );
}

function Summary(props: { region: RegionSummary }) {
  const { region } = props;
  return (
    <InfoCard title={region.name}>
      <StructuredMetadataTable
        metadata={{
          environment: region.environment,
          region: region.region,
          payer: region.payer,
          owner: region.owner ?? 'none',
          source: region.source === 'config' ? 'configuration' : 'requested',
          status: (
            <span data-testid="region-status">{region.status ?? 'active'}</span>
          ),
          'requested by': region.requestedBy ?? '',
          'requested at': <When iso={region.requestedAt} />,
          'OU path': region.ouPath.join(' / '),
          ...(region.problem ? { problem: region.problem } : {}),
        }}
      />
    </InfoCard>
  );
}

function Accounts(props: {
  region: RegionSummary;
  accountIds: Map<string, string>;
}) {
  const paths = useMintingPaths();
  return (
    <InfoCard title="Accounts">
      <Table size="small" aria-label="accounts">
        <TableHead>
          <TableRow>
            <TableCell>Name</TableCell>
            <TableCell>Role</TableCell>
            <TableCell>Account id</TableCell>
            <TableCell>Email</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {props.region.accounts.map(account => (
            <TableRow key={account.name}>
              <TableCell>
                <Link to={paths.account(account.name)}>{account.name}</Link>
              </TableCell>
              <TableCell>
                {account.role} [{account.index}]
              </TableCell>
              <TableCell>
                {account.accountId ??
                  props.accountIds.get(account.name) ??
                  'not created yet'}
                {account.accountId ? ' (adopted)' : ''}
              </TableCell>
              <TableCell>{account.email}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </InfoCard>
  );
}

function LastRun(props: { region: RegionSummary }) {
  const paths = useMintingPaths();
  const run = props.region.lastRun;
  return (
    <InfoCard title="Last run">
      {run ? (
        <>
          <Typography gutterBottom>
            <StatusLabel status={run.status} />{' '}
            <Link to={paths.run(run.id)}>
              {run.pipeline} run{run.account ? ` of ${run.account}` : ''}
            </Link>{' '}
            by {run.requestedBy}, <When iso={run.createdAt} />
          </Typography>
          {run.error && <Typography color="error">{run.error}</Typography>}
        </>
      ) : (
        <Typography>Never run.</Typography>
      )}
      <LinkButton
        to={`${paths.runs}?region=${encodeURIComponent(props.region.name)}`}
      >
        All runs of {props.region.name}
      </LinkButton>
    </InfoCard>
  );
}

/** A region out of the desired state: its status, by whom and when. */
function Retired(props: { region: RegionSummary }) {
  const { region } = props;
  return (
    <InfoCard title="Decommissioned">
      <Typography>
        {region.name} is {region.status}
        {region.decommissionedBy ? ` by ${region.decommissionedBy}` : ''}
        {region.decommissionedAt && (
          <>
            , <When iso={region.decommissionedAt} />
          </>
        )}
        ; it has no actions any more.
      </Typography>
    </InfoCard>
  );
}

type RegionDialog = 'decommission' | 'adopt';

/** The scale panel and the buttons that open the adopt and decommission dialogs, as the user may use them. */
function ActionCards(props: {
  region: RegionSummary;
  roles: AccountRoleView[];
  onOpen(dialog: RegionDialog): void;
}) {
  const { region } = props;
  const may = useRegionPermissions(region.environment);
  if (!may.create && !may.decommission) {
    return (
      <InfoCard title="Actions">
        <Typography color="textSecondary">
          You may not change regions in {region.environment}.
        </Typography>
      </InfoCard>
    );
  }
  const declared = region.source === 'config';
  return (
    <>
      <InfoCard title="Scale" subheader="How many accounts of each role">
        <ScalePanel
          region={region}
          roles={props.roles}
          mayGrow={may.create}
          mayShrink={may.decommission}
        />
      </InfoCard>
      <Box mt={3}>
        <InfoCard title="Accounts and teardown">
          <Box display="flex" gridGap={8} alignItems="center">
            {may.create && (
              <Button
                variant="outlined"
                color="primary"
                onClick={() => props.onOpen('adopt')}
              >
                Adopt accounts
              </Button>
            )}
            {may.decommission && (
              <Button
                variant="outlined"
                color="secondary"
                disabled={declared}
                onClick={() => props.onOpen('decommission')}
              >
                Decommission region
              </Button>
            )}
          </Box>
          {declared && may.decommission && (
            <Typography variant="body2" color="textSecondary">
              A region declared in configuration is decommissioned by removing
              it from accountMinting.regions first.
            </Typography>
          )}
        </InfoCard>
      </Box>
    </>
  );
}

/** What can be done to a region: scale it, adopt accounts into it, decommission it. */
function Actions(props: {
  region: RegionSummary;
  roles: AccountRoleView[];
  onStarted(): void;
}) {
  const { region } = props;
  const [dialog, setDialog] = useState<RegionDialog>();
  // The dialogs stay in place when the region's status changes, so that their outcome stays shown.
  return (
    <>
      {isRetired(region) ? (
        <Retired region={region} />
      ) : (
        <ActionCards region={region} roles={props.roles} onOpen={setDialog} />
      )}
      {dialog === 'decommission' && (
        <DecommissionDialog
          regionOu={region.name}
          environment={region.environment}
          onClose={() => setDialog(undefined)}
          onStarted={props.onStarted}
        />
      )}
      {dialog === 'adopt' && (
        <AdoptDialog
          region={region}
          onClose={() => setDialog(undefined)}
          onStarted={props.onStarted}
        />
      )}
    </>
  );
}

/** One region: what it is, its accounts, its last run, and what can be done to it. */
export function RegionView() {
  const { name = '' } = useParams();
  const api = useApi(accountMintingApiRef);
  const paths = useMintingPaths();
  const found = useLiveValue<RegionData>(
    async () => {
      const [region, estate, config] = await Promise.all([
        api.getRegion(name),
        api.getEstate(),
        api.getConfig(),
      ]);
      return {
        region,
        accountIds: accountIdsIn(estate, name),
        roles: config.accountRoles,
      };
    },
    [api, name],
    {
      intervalMs: POLL_MS,
      // Followed while its run goes on or it is being decommissioned.
      live: ({ region }) =>
        isUnderWay(region.lastRun?.status) ||
        region.status === 'decommissioning',
      reloadOn: signal => signal.type === 'run' && signal.region === name,
    },
  );

  if (found.loading) return <Progress />;
  if (!found.value) {
    if (found.error && isNotFound(found.error)) {
      return (
        <EmptyState
          missing="data"
          title={`No region ${name}`}
          description="It is neither declared in configuration nor requested."
          action={
            <LinkButton to={paths.estate} variant="outlined">
              Back to the estate
            </LinkButton>
          }
        />
      );
    }
    return (
      <ResponseErrorPanel
        title={`Region ${name} could not be read`}
        error={found.error ?? new Error('no answer')}
      />
    );
  }
  const { region, accountIds, roles } = found.value;
  return (
    <Grid container spacing={3}>
      <Grid item xs={12} md={6}>
        <Summary region={region} />
      </Grid>
      <Grid item xs={12} md={6}>
        <LastRun region={region} />
      </Grid>
      <Grid item xs={12}>
        <Accounts region={region} accountIds={accountIds} />
      </Grid>
      <Grid item xs={12}>
        <Actions region={region} roles={roles} onStarted={found.reload} />
      </Grid>
    </Grid>
  );
}
