import Typography from '@material-ui/core/Typography';
import { RegionRequestResult } from '@regional-minting/plugin-account-minting-common';

/** The names a region would get, worked out as the form is filled in. */
export function NamesPreview(props: { validation: RegionRequestResult }) {
  const { validation } = props;
  if (!validation.ok) {
    return (
      <Typography variant="body2" color="textSecondary">
        The region's names appear here once the fields are valid.
      </Typography>
    );
  }
  const { regionOu, accountNames } = validation.value;
  return (
    <div data-testid="names-preview">
      <Typography variant="body2">
        Region OU: <strong>{regionOu}</strong>
      </Typography>
      {accountNames.length === 0 ? (
        <Typography variant="body2">No accounts.</Typography>
      ) : (
        <Typography variant="body2" component="div">
          Accounts:
          <ul aria-label="account names">
            {accountNames.map(account => (
              <li key={account.name}>
                {account.name} ({account.role})
              </li>
            ))}
          </ul>
        </Typography>
      )}
    </div>
  );
}
