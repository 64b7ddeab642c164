import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { useEffect } from 'react';
import { PickerSelect } from './PickerSelect';
import {
  chosenEnvironment,
  regionFieldValidation,
  RegionFieldOptions,
  useMintingConfig,
} from './regionFields';

/** The name of the field in templates: `ui:field: AccountMintingRegionPicker`. */
export const REGION_PICKER = 'AccountMintingRegionPicker';

/**
 * Offers the AWS regions that the environment chosen in the form (or fixed by the
 * template, see RegionFieldOptions) allows.
 */
export function RegionPicker(
  props: FieldExtensionComponentProps<string, RegionFieldOptions>,
) {
  const { schema, required, rawErrors, formData, onChange, idSchema } = props;
  const { value: config, loading, error } = useMintingConfig();
  const environmentName = chosenEnvironment(
    props.formContext?.formData,
    props.uiSchema['ui:options'],
  );
  const environment = config?.environments.find(
    e => e.name === environmentName,
  );
  const allowed = environment?.regions;

  // A region that the newly chosen environment does not allow is no longer chosen.
  useEffect(() => {
    if (allowed && formData && !allowed.includes(formData)) {
      onChange(undefined);
    }
  }, [allowed, formData, onChange]);

  let helperText =
    schema.description ?? 'The AWS regions the environment allows';
  if (config && !environmentName) helperText = 'Choose an environment first';
  else if (config && !environment) {
    helperText = `Unknown environment ${environmentName}: choose one of ${config.environments
      .map(e => e.name)
      .join(', ')}`;
  } else if (environment) {
    helperText = `The AWS regions ${environment.name} may use`;
  }

  return (
    <PickerSelect
      id={idSchema?.$id}
      label={schema.title ?? 'AWS region'}
      helperText={helperText}
      loading={loading}
      loadError={error}
      invalid={rawErrors?.length > 0}
      required={required}
      disabled={!environment}
      placeholder="Choose a region"
      options={(allowed ?? []).map(region => ({ value: region }))}
      value={allowed?.includes(formData ?? '') ? formData : undefined}
      onChange={onChange}
    />
  );
}

/** The region must be one that the chosen environment allows. */
export const regionPickerValidation = regionFieldValidation('region');
