import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';

/** A choice of the pickers: its value, and how it reads if not as the value. */
export interface PickerOption {
  value: string;
  label?: string;
}

export interface PickerSelectProps {
  id?: string;
  label: string;
  /** Says what to choose. */
  helperText: string;
  /** The loading of the configuration the choices come from. */
  loading: boolean;
  loadError?: Error;
  /** Whether the form found the value invalid; it shows why under the field. */
  invalid?: boolean;
  required?: boolean;
  disabled?: boolean;
  /** Shown as the first, unselectable choice. */
  placeholder: string;
  options: PickerOption[];
  value: string | undefined;
  onChange: (value: string | undefined) => void;
}

/** The select of the account-minting pickers, drawn as the scaffolder draws the selects of a template's enums. */
export function PickerSelect(props: PickerSelectProps) {
  const { loading, loadError } = props;
  let helperText = props.helperText;
  if (loading) helperText = 'Loading the account-minting configuration…';
  if (loadError) {
    helperText = `Could not load the account-minting configuration: ${loadError.message}`;
  }
  return (
    <TextField
      id={props.id}
      select
      fullWidth
      margin="normal"
      required={props.required}
      disabled={loading || !!loadError || props.disabled}
      label={props.label}
      value={props.value ?? ''}
      onChange={e => props.onChange(e.target.value || undefined)}
      error={!!loadError || props.invalid}
      helperText={helperText}
      SelectProps={{ displayEmpty: true }}
      InputLabelProps={{ shrink: true }}
    >
      <MenuItem value="" disabled>
        {props.placeholder}
      </MenuItem>
      {props.options.map(option => (
        <MenuItem key={option.value} value={option.value}>
          {option.label ?? option.value}
        </MenuItem>
      ))}
    </TextField>
  );
}
