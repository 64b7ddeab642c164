import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { PickerSelect } from './PickerSelect';
import {
  regionFieldValidation,
  RegionFieldOptions,
  useMintingConfig,
} from './regionFields';

/** The name of the field in templates: `ui:field: AccountMintingEnvironmentPicker`. */
export const ENVIRONMENT_PICKER = 'AccountMintingEnvironmentPicker';

/** Offers the environments that the account-minting backend is configured with. */
export function EnvironmentPicker(
  props: FieldExtensionComponentProps<string, RegionFieldOptions>,
) {
  const { schema, required, rawErrors, formData, onChange, idSchema } = props;
  const { value: config, loading, error } = useMintingConfig();
  return (
    <PickerSelect
      id={idSchema?.$id}
      label={schema.title ?? 'Environment'}
      helperText={
        schema.description ??
        'Where the region goes; its accounts are minted in the payer shown'
      }
      loading={loading}
      loadError={error}
      invalid={rawErrors?.length > 0}
      required={required}
      placeholder="Choose an environment"
      options={(config?.environments ?? []).map(environment => ({
        value: environment.name,
        label: `${environment.name} (payer ${environment.payer})`,
      }))}
      value={formData}
      onChange={onChange}
    />
  );
}

/** The environment must be one that the backend is configured with. */
export const environmentPickerValidation = regionFieldValidation('environment');
