import Button from '@material-ui/core/Button';
import Checkbox from '@material-ui/core/Checkbox';
import ListItemText from '@material-ui/core/ListItemText';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import { makeStyles } from '@material-ui/core/styles';
import { statusWord } from '../shared/StatusLabel';
import { STATUS_FILTERS, StatusFilter } from './estateModel';

function filterWord(status: StatusFilter): string {
  return status === 'drift' ? 'drift' : statusWord(status);
}

const useStyles = makeStyles(theme => ({
  bar: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(2),
    marginBottom: theme.spacing(2),
  },
  query: { minWidth: 320 },
  statuses: { minWidth: 220 },
}));

/** The tree's filters (text, and status or open drift) and its expand, collapse and refresh buttons. */
export function EstateToolbar(props: {
  query: string;
  statuses: StatusFilter[];
  onChange(next: { query?: string; statuses?: StatusFilter[] }): void;
  /** The text field left: what was typed is done. */
  onQueryDone(): void;
  onExpandAll(): void;
  onCollapseAll(): void;
  onRefresh(): void;
}) {
  const classes = useStyles();
  return (
    <div className={classes.bar}>
      <TextField
        id="estate-filter-query"
        className={classes.query}
        label="Filter by name, id, email or tag"
        variant="outlined"
        size="small"
        value={props.query}
        onChange={e => props.onChange({ query: e.target.value })}
        onBlur={props.onQueryDone}
      />
      <TextField
        id="estate-filter-status"
        select
        className={classes.statuses}
        label="Status"
        variant="outlined"
        size="small"
        SelectProps={{
          multiple: true,
          renderValue: value =>
            (value as StatusFilter[]).map(filterWord).join(', '),
        }}
        value={props.statuses}
        onChange={e =>
          props.onChange({
            statuses: e.target.value as unknown as StatusFilter[],
          })
        }
      >
        {STATUS_FILTERS.map(status => (
          <MenuItem key={status} value={status}>
            <Checkbox checked={props.statuses.includes(status)} />
            <ListItemText primary={filterWord(status)} />
          </MenuItem>
        ))}
      </TextField>
      <Button onClick={props.onExpandAll}>Expand all</Button>
      <Button onClick={props.onCollapseAll}>Collapse all</Button>
      <Button onClick={props.onRefresh}>Read AWS again</Button>
    </div>
  );
}
