import { Progress } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { DriftFinding } from '@regional-minting/plugin-account-minting-common';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { accountMintingApiRef } from '../../api';
import { AdoptDialog, useRegionPermissions } from '../RegionView';

/** The adopt dialog of the finding's region, once the region is read. */
function AdoptFromFinding(props: { finding: DriftFinding; onClose(): void }) {
  const { finding } = props;
  const api = useApi(accountMintingApiRef);
  const region = useAsync(
    () => api.getRegion(finding.region),
    [api, finding.region],
  );
  if (region.value) {
    return (
      <AdoptDialog
        region={region.value}
        prefillAccountId={finding.accountId}
        onClose={props.onClose}
      />
    );
  }
  return (
    <Dialog open onClose={props.onClose}>
      <DialogTitle>Adopt into {finding.region}</DialogTitle>
      <DialogContent>
        {region.loading ? (
          <Progress />
        ) : (
          <Typography color="error" role="alert">
            {finding.region} could not be read, so nothing can be adopted into
            it: {region.error?.message}
          </Typography>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onClose}>Close</Button>
      </DialogActions>
    </Dialog>
  );
}

/**
 * For an open stray-account finding (an account in a region OU that its region does not
 * have): adopts the account into the region's first free slot, for who may change it.
 */
export function AdoptStrayButton(props: { finding: DriftFinding }) {
  const { finding } = props;
  const allowed = useRegionPermissions(finding.environment).create;
  const [open, setOpen] = useState(false);
  if (
    !allowed ||
    finding.layer !== 'stray-account' ||
    finding.resolvedAt ||
    !finding.accountId
  ) {
    return null;
  }
  return (
    <>
      <Button
        variant="outlined"
        color="primary"
        aria-label={`Adopt ${finding.account ?? finding.accountId} into ${
          finding.region
        }`}
        onClick={() => setOpen(true)}
      >
        Adopt into this region
      </Button>
      {open && (
        <AdoptFromFinding finding={finding} onClose={() => setOpen(false)} />
      )}
    </>
  );
}
