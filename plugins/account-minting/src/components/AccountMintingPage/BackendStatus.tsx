import { ResponseErrorPanel, WarningPanel } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { HealthResponse } from '@regional-minting/plugin-account-minting-common';
import { makeStyles } from '@material-ui/core/styles';
import useAsync from 'react-use/esm/useAsync';
import { accountMintingApiRef } from '../../api';

const useStyles = makeStyles(theme => ({
  trouble: { marginBottom: theme.spacing(2) },
}));

/** The panel that says what is wrong with the backend and what to do about it. */
function TroublePanel(props: { health?: HealthResponse; error?: Error }) {
  const { health, error } = props;
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

/**
 * What is wrong with the account-minting backend, above a view's content: nothing while
 * it is being asked or when it is healthy, so that a working portal says nothing about it.
 */
export function BackendStatus() {
  const classes = useStyles();
  const api = useApi(accountMintingApiRef);
  const { value, loading, error } = useAsync(() => api.getHealth(), [api]);
  if (loading || (!error && value?.status === 'ok')) return null;
  return (
    <div className={classes.trouble} data-testid="backend-trouble">
      <TroublePanel health={value} error={error} />
    </div>
  );
}
