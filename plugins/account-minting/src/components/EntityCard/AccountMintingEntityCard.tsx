import {
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
  StatusOK,
  StructuredMetadataTable,
  WarningPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  AccountMintingApi,
  DriftFinding,
  MintingSignal,
} from '@regional-minting/plugin-account-minting-common';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { ReactNode } from 'react';
import { accountMintingApiRef } from '../../api';
import { findAccount, LocatedAccount } from '../AccountView/accountHistory';
import { ACCOUNT_PIPELINES, accountStatus } from '../EstateTree/estateModel';
import { MintingPathsProvider, useMintingPaths } from '../shared/paths';
import { StatusLabel } from '../shared/StatusLabel';
import { ago, fullTime, isUnderWay } from '../shared/time';
import { useLiveValue } from '../shared/useLiveValue';
import { ACCOUNT_ANNOTATIONS } from './entity';

/** How often the card reads the account again while one of its pipelines runs. */
const LIVE_MS = 10_000;
/** The findings listed on the card; the Drift view lists them all. */
const SHOWN_FINDINGS = 5;

type Drift = { findings: DriftFinding[]; error?: undefined } | { error: Error };

interface CardData {
  /** Undefined when the estate has no account of the entity's name. */
  located?: LocatedAccount;
  /** The open findings of the account and those of its whole region. */
  drift?: Drift;
}

async function openDrift(
  api: AccountMintingApi,
  region: string,
  account: string,
): Promise<Drift> {
  try {
    const findings = await api.listFindings({ region, status: 'open' });
    return {
      findings: findings.filter(f => !f.account || f.account === account),
    };
  } catch (error) {
    // The drift section says so; the rest of the card stands without it.
    return { error: error as Error };
  }
}

async function loadCard(
  api: AccountMintingApi,
  name: string,
  regionHint: string | undefined,
): Promise<CardData> {
  // The entity names its region OU, so its findings are read beside the estate.
  const [estate, hinted] = await Promise.all([
    api.getEstate(),
    regionHint ? openDrift(api, regionHint, name) : undefined,
  ]);
  const located = findAccount(estate, name);
  if (!located) return {};
  const region = located.region.name;
  const drift =
    hinted && region === regionHint
      ? hinted
      : await openDrift(api, region, name);
  return { located, drift };
}

function isActive(data: CardData): boolean {
  const runs = data.located?.account.lastRuns ?? {};
  return ACCOUNT_PIPELINES.some(p => isUnderWay(runs[p]?.status));
}

function concernsRegion(signal: MintingSignal, region: string | undefined) {
  if (!region) return true;
  return signal.type === 'findings'
    ? signal.regions.includes(region)
    : signal.region === region;
}

function Section(props: { title: string; children: ReactNode }) {
  return (
    <>
      <Typography variant="subtitle2" component="h3" style={{ marginTop: 16 }}>
        {props.title}
      </Typography>
      {props.children}
    </>
  );
}

function PipelinesTable(props: { located: LocatedAccount }) {
  const paths = useMintingPaths();
  const { lastRuns } = props.located.account;
  return (
    <Table size="small" aria-label="pipelines">
      <TableHead>
        <TableRow>
          <TableCell>Pipeline</TableCell>
          <TableCell>Last result</TableCell>
          <TableCell>When</TableCell>
          <TableCell>Run</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {ACCOUNT_PIPELINES.map(pipeline => {
          const run = lastRuns[pipeline];
          const when = run?.finishedAt ?? run?.startedAt;
          return (
            <TableRow key={pipeline}>
              <TableCell>{pipeline}</TableCell>
              <TableCell>
                <StatusLabel status={run?.status ?? 'never'} />
              </TableCell>
              <TableCell title={fullTime(when)}>{ago(when) ?? ''}</TableCell>
              <TableCell>
                {run && (
                  <Link
                    to={paths.run(run.runId)}
                    aria-label={`${pipeline} run ${run.runId}`}
                  >
                    view run
                  </Link>
                )}
              </TableCell>
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
}

function DriftSection(props: { region: string; drift?: Drift }) {
  const paths = useMintingPaths();
  const { drift, region } = props;
  const driftLink = `${paths.drift}?region=${encodeURIComponent(region)}`;
  if (!drift) return null;
  if (drift.error) {
    return (
      <WarningPanel
        severity="warning"
        title="The drift findings could not be read"
        message={drift.error.message}
      />
    );
  }
  const { findings } = drift;
  if (findings.length === 0) {
    return <StatusOK>no open drift findings</StatusOK>;
  }
  const more = findings.length - SHOWN_FINDINGS;
  return (
    <>
      <Typography variant="body2" data-testid="drift-count">
        {findings.length} open drift finding{findings.length === 1 ? '' : 's'}
      </Typography>
      <List dense disablePadding aria-label="open drift findings">
        {findings.slice(0, SHOWN_FINDINGS).map(f => (
          <ListItem key={f.id} disableGutters>
            <ListItemText
              primary={f.summary}
              secondary={`${f.layer}${f.account ? '' : ' · whole region'}`}
            />
          </ListItem>
        ))}
      </List>
      <Link to={driftLink}>
        {more > 0 ? `${more} more; all` : 'All'} drift findings of {region}
      </Link>
    </>
  );
}

function AccountDetails(props: { located: LocatedAccount; drift?: Drift }) {
  const { located, drift } = props;
  const { account } = located;
  return (
    <>
      <StructuredMetadataTable
        dense
        metadata={{
          status: <StatusLabel status={accountStatus(account)} />,
          'account id': account.id ?? 'not created yet',
          'OU path': located.ouPath.join(' / '),
          role: account.role ?? 'not desired',
        }}
      />
      <Section title="Pipelines">
        <PipelinesTable located={located} />
      </Section>
      <Section title="Drift">
        <DriftSection region={located.region.name} drift={drift} />
      </Section>
    </>
  );
}

function CardContent() {
  const { entity } = useEntity();
  const api = useApi(accountMintingApiRef);
  const paths = useMintingPaths();
  const name = entity.metadata.name;
  const regionHint =
    entity.metadata.annotations?.[ACCOUNT_ANNOTATIONS.regionOu] || undefined;
  const { value, error, loading } = useLiveValue(
    () => loadCard(api, name, regionHint),
    [api, name, regionHint],
    {
      intervalMs: LIVE_MS,
      live: isActive,
      // The options are read at each signal, so the region read last counts.
      reloadOn: (signal: MintingSignal): boolean =>
        concernsRegion(signal, value?.located?.region.name ?? regionHint),
    },
  );

  const found = value?.located;
  return (
    <InfoCard
      title="Account Minting"
      subheader={
        found
          ? `${found.region.name} in ${found.payer.name} (${found.payer.accountId})`
          : undefined
      }
      deepLink={
        found
          ? { title: 'Open in Account Minting', link: paths.account(name) }
          : { title: 'Open the estate in Account Minting', link: paths.estate }
      }
    >
      {(() => {
        if (loading) return <Progress />;
        if (!value) {
          return (
            <ResponseErrorPanel
              title={`Account ${name} could not be read from Account Minting`}
              error={error ?? new Error('No answer')}
            />
          );
        }
        if (!found) {
          return (
            <>
              <Typography variant="body1" component="p">
                No account {name} in the estate.
              </Typography>
              <Typography variant="body2" color="textSecondary" component="p">
                It is neither desired nor found in any payer's platform OU. This
                catalog entity may be stale: the account was renamed or moved
                out, and the catalog has not caught up yet.
              </Typography>
            </>
          );
        }
        return <AccountDetails located={found} drift={value.drift} />;
      })()}
    </InfoCard>
  );
}

/**
 * The account minting card of an AWS account's entity (a Resource of type
 * `aws-account`): its status, each pipeline's last result and its open drift, with
 * links into the Account Minting page at `pageBase`, or at the page's default
 * path (or the enclosing MintingPathsProvider's) when not given.
 */
export function AccountMintingEntityCard(props: { pageBase?: string }) {
  if (props.pageBase === undefined) return <CardContent />;
  return (
    <MintingPathsProvider base={props.pageBase}>
      <CardContent />
    </MintingPathsProvider>
  );
}
