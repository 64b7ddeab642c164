import { Link } from '@backstage/core-components';
import {
  ChangeResponse,
  isChangeResponse,
  RunRecord,
} from '@regional-minting/plugin-account-minting-common';
import Typography from '@material-ui/core/Typography';
import { outcomePath } from './changes';
import { useMintingPaths } from './paths';

/** What an action started, with its link: the run, or the change request waiting for approval. */
export function OutcomeNote(props: {
  /** What was done, such as "Decommission of dev-kirk-us-east-2". */
  what: string;
  outcome: RunRecord | ChangeResponse;
}) {
  const paths = useMintingPaths();
  const { outcome } = props;
  const link = outcomePath(paths, outcome);
  return (
    <Typography role="status" data-testid="action-outcome">
      {isChangeResponse(outcome) ? (
        <>
          {props.what} waits for approval:{' '}
          <Link to={link}>the change request</Link>
        </>
      ) : (
        <>
          {props.what} started: <Link to={link}>its run</Link>
        </>
      )}
    </Typography>
  );
}
