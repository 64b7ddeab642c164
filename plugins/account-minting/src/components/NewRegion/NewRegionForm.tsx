import {
  EmptyState,
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import {
  accountMintingRegionCreatePermission,
  AccountRoleView,
  EnvironmentView,
  MintingConfigView,
} from '@regional-minting/plugin-account-minting-common';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { accountMintingApiRef } from '../../api';
import { approvalNote, ConfirmChangeDialog } from '../shared/changes';
import { useMintingPaths } from '../shared/paths';
import { PlanView } from '../shared/PlanActionsTable';
import { NamesPreview } from './NamesPreview';
import { countField } from './regionFormErrors';
import { useRegionForm } from './useRegionForm';

/** "Regional cluster accounts" for the role regional-cluster. */
function countLabel(role: string): string {
  const words = role.replace(/[-_]+/g, ' ').trim();
  return `${words.charAt(0).toUpperCase()}${words.slice(1)} accounts`;
}

/** What a count may be: "default 2, at most 10", "default 1, at least 1, at most 3". */
function countHint(role: AccountRoleView): string {
  const min = role.minCount ?? 0;
  if (min === role.maxCount) return `always ${min}`;
  return `default ${role.count}, ${min > 0 ? `at least ${min}, ` : ''}at most ${
    role.maxCount
  }`;
}

function ownerNote(environment: EnvironmentView | undefined): string {
  if (!environment) return 'Asked for where region names carry an owner';
  return environment.needsOwner
    ? `${environment.name} regions are personal: their names carry the owner`
    : `${environment.name} region names carry no owner`;
}

/** The "New region" tab: asks for a region, with its names and plan before it is minted. */
export function NewRegionForm() {
  const api = useApi(accountMintingApiRef);
  const {
    value: config,
    loading,
    error,
  } = useAsync(() => api.getConfig(), [api]);

  if (loading) {
    return <Progress />;
  }
  if (error || !config) {
    return (
      <ResponseErrorPanel
        error={error ?? new Error('The backend sent no configuration')}
        title="Could not load the account-minting configuration"
      />
    );
  }
  if (config.environments.length === 0 || config.payers.length === 0) {
    const missing = [
      ...(config.payers.length === 0 ? ['payers'] : []),
      ...(config.environments.length === 0 ? ['environments'] : []),
    ];
    return (
      <EmptyState
        missing="info"
        title={`No ${missing.join(
          ' and no ',
        )} are configured, so no region can be requested`}
        description="Declare accountMinting.payers and accountMinting.environments in app-config.yaml, then restart the backend."
      />
    );
  }
  return <RegionForm config={config} />;
}

function RegionForm(props: { config: MintingConfigView }) {
  const { config } = props;
  const form = useRegionForm(config);
  const { values, environment } = form;
  const permission = usePermission({
    permission: accountMintingRegionCreatePermission,
    resourceRef: values.environment || undefined,
  });
  const denied = !!environment && !permission.loading && !permission.allowed;
  const approval = environment?.approval;
  const [confirming, setConfirming] = useState(false);
  const paths = useMintingPaths();
  const existing =
    form.regionExists && form.validation.ok
      ? form.validation.value.regionOu
      : undefined;

  return (
    <InfoCard title="Request a new region">
      <Grid container spacing={2}>
        <Grid item xs={12} md={4}>
          <TextField
            id="new-region-environment"
            select
            fullWidth
            required
            label="Environment"
            value={values.environment}
            onChange={e => form.setField('environment', e.target.value)}
            error={!!form.errorOf('environment')}
            helperText={
              form.errorOf('environment') ??
              'Where the region goes; its accounts are minted in the payer shown'
            }
            SelectProps={{ displayEmpty: true }}
            InputLabelProps={{ shrink: true }}
          >
            <MenuItem value="" disabled>
              Choose an environment
            </MenuItem>
            {config.environments.map(env => (
              <MenuItem key={env.name} value={env.name}>
                {env.name} (payer {env.payer})
              </MenuItem>
            ))}
          </TextField>
        </Grid>
        <Grid item xs={12} md={4}>
          <TextField
            id="new-region-region"
            select
            fullWidth
            required
            label="Region"
            value={values.region}
            disabled={!environment}
            onChange={e => form.setField('region', e.target.value)}
            error={!!form.errorOf('region')}
            helperText={
              form.errorOf('region') ??
              (environment
                ? `The AWS regions ${environment.name} may use`
                : 'Choose an environment first')
            }
            SelectProps={{ displayEmpty: true }}
            InputLabelProps={{ shrink: true }}
          >
            <MenuItem value="" disabled>
              Choose a region
            </MenuItem>
            {(environment?.regions ?? []).map(region => (
              <MenuItem key={region} value={region}>
                {region}
              </MenuItem>
            ))}
          </TextField>
        </Grid>
        {/* Always in its place, so that no field moves when an environment's names take an owner. */}
        <Grid item xs={12} md={4}>
          <TextField
            id="new-region-owner"
            fullWidth
            required={!!environment?.needsOwner}
            disabled={!environment?.needsOwner}
            label="Owner"
            value={environment?.needsOwner ? values.owner : ''}
            onChange={e => form.setField('owner', e.target.value)}
            error={!!form.errorOf('owner')}
            helperText={form.errorOf('owner') ?? ownerNote(environment)}
            InputLabelProps={{ shrink: true }}
          />
        </Grid>
      </Grid>
      <Box mt={2}>
        <Grid container spacing={2}>
          {config.accountRoles.map(role => {
            const fieldError = form.errorOf(countField(role.name));
            return (
              <Grid item xs={12} sm={6} md={4} key={role.name}>
                <TextField
                  id={`new-region-count-${role.name}`}
                  fullWidth
                  type="number"
                  label={countLabel(role.name)}
                  value={values.counts[role.name] ?? ''}
                  onChange={e => form.setCount(role.name, e.target.value)}
                  inputProps={{
                    min: role.minCount ?? 0,
                    max: role.maxCount,
                    step: 1,
                  }}
                  error={!!fieldError}
                  helperText={fieldError ?? countHint(role)}
                />
              </Grid>
            );
          })}
        </Grid>
      </Box>

      <Box mt={3} mb={2}>
        <Typography variant="subtitle2" gutterBottom>
          Names
        </Typography>
        <NamesPreview validation={form.validation} />
      </Box>

      {form.otherErrors.map(message => (
        <Typography key={message} color="error" role="alert" gutterBottom>
          {message}
        </Typography>
      ))}
      {form.failure && (
        <Box mb={2}>
          <ResponseErrorPanel
            error={form.failure}
            title="The account-minting backend did not accept the request"
          />
        </Box>
      )}
      {denied && (
        <Typography color="textSecondary" gutterBottom>
          You may not request regions in {environment.name}
        </Typography>
      )}

      {existing && (
        <Typography role="status" gutterBottom>
          The region <Link to={paths.region(existing)}>{existing}</Link> exists:
          change its accounts on its page.
        </Typography>
      )}

      <Box display="flex" gridGap={8}>
        <Button
          variant="outlined"
          disabled={!!form.busy}
          onClick={form.previewPlan}
        >
          Preview plan
        </Button>
        {/* Requesting a region that exists would only start a run with nothing to do. */}
        {!existing && (
          <Button
            variant="contained"
            color="primary"
            disabled={
              !form.validation.ok ||
              !!form.busy ||
              permission.loading ||
              !permission.allowed ||
              // Where approvers will read the plan, the requester reads it first.
              (!!approval && !form.plan)
            }
            onClick={() =>
              approval ? setConfirming(true) : form.requestRegion()
            }
          >
            {approval ? 'Request region for approval' : 'Request region'}
          </Button>
        )}
      </Box>
      {approval && environment && !existing && (
        <Typography color="textSecondary" gutterBottom>
          {approvalNote(environment.name, approval)} Preview the plan before you
          request it.
        </Typography>
      )}
      {confirming && environment && form.validation.ok && (
        <ConfirmChangeDialog
          open
          title={`Request ${form.validation.value.regionOu}`}
          description={`Requests the region ${form.validation.value.regionOu} in ${environment.name}; its run mints, bootstraps and provisions its accounts once approved.`}
          regionOu={form.validation.value.regionOu}
          environment={environment.name}
          approval={approval}
          confirmLabel="Request region"
          busy={form.busy === 'request'}
          error={form.failure}
          onCancel={() => setConfirming(false)}
          onConfirm={reason => form.requestRegion(reason)}
        />
      )}

      {form.plan && (
        <Box mt={3}>
          <PlanView
            plan={form.plan.plan}
            heading={`Plan for ${form.plan.region} in payer ${form.plan.plan.payer}`}
          />
        </Box>
      )}
    </InfoCard>
  );
}
