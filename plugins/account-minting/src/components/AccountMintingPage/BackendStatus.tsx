import {
  Progress,
  ResponseErrorPanel,
  WarningPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import Typography from '@material-ui/core/Typography';
import useAsync from 'react-use/esm/useAsync';
import { accountMintingApiRef } from '../../api';

/** Whether the account-minting backend is up, and what to do when it is not. */
export function BackendStatus() {
  const api = useApi(accountMintingApiRef);
  const {
    value: health,
    loading,
    error,
  } = useAsync(() => api.getHealth(), [api]);

  if (loading) {
    return <Progress />;
  }
  if (error) {
    return (
      <ResponseErrorPanel
        error={error}
        title="The account-minting backend did not answer"
      />
    );
  }
  if (health?.status === 'starting') {
    return (
      <WarningPanel
        severity="warning"
        title="The account-minting backend has not finished starting"
        message={`${health.reason} Reload this page in a moment.`}
      />
    );
  }
  if (!health || health.status !== 'ok') {
    return (
      <WarningPanel
        severity="error"
        title="The account-minting backend cannot reach its database"
        message={`${
          health?.database.error ?? 'No details were given.'
        } Check the backend's database settings and its log, then reload this page.`}
      />
    );
  }
  // The header shows the gist; the details are a hover away.
  const details = `schema at ${
    health.database.latestMigration ?? 'no migration'
  }; ${
    health.provisioners.length > 0
      ? `provisioners ${health.provisioners.join(', ')}`
      : 'no provisioners registered'
  }`;
  return (
    <Typography variant="body2" data-testid="backend-status" title={details}>
      Backend ready: database {health.database.client}
    </Typography>
  );
}
