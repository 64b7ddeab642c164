import { parseEntityRef } from '@backstage/catalog-model';
import { identityApiRef, useApi } from '@backstage/frontend-plugin-api';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import TextField from '@material-ui/core/TextField';
import { useEffect, useState } from 'react';
import { ownerFits } from '../components/NewRegion/regionFormErrors';
import {
  chosenEnvironment,
  regionFieldError,
  regionFieldValidation,
  RegionFieldOptions,
  useMintingConfig,
} from './regionFields';

/** The name of the field in templates: `ui:field: AccountMintingOwnerPicker`. */
export const OWNER_PICKER = 'AccountMintingOwnerPicker';

/**
 * The owner of a region, for environments whose region names carry it (such as
 * dev-kirk-us-east-2): the signed-in user unless changed, where their name fits the
 * environment's names (as the portal's form offers it). Elsewhere it stays empty, as
 * the backend wants it. What is wrong with a typed owner is said as it is typed.
 */
export function OwnerPicker(
  props: FieldExtensionComponentProps<string, RegionFieldOptions>,
) {
  const { schema, rawErrors, formData, onChange, idSchema } = props;
  const identityApi = useApi(identityApiRef);
  const { value: config } = useMintingConfig();
  const environmentName = chosenEnvironment(
    props.formContext?.formData,
    props.uiSchema['ui:options'],
  );
  const environment = config?.environments.find(
    e => e.name === environmentName,
  );
  const needsOwner = environment?.needsOwner ?? false;

  const [typed, setTyped] = useState(false);

  useEffect(() => {
    if (!environment || !config) return undefined;
    if (!needsOwner) {
      if (formData) onChange(undefined);
      return undefined;
    }
    if (formData) return undefined;
    let current = true;
    identityApi
      .getBackstageIdentity()
      .then(identity => {
        const name = parseEntityRef(identity.userEntityRef).name;
        if (!current) return;
        // A name the region's names cannot carry (jane.doe) is left for the user to type,
        // empty rather than absent so that the form's validation says it is required.
        onChange(ownerFits(name, environment, config) ? name : '');
      })
      .catch(() => {
        // Without an identity the owner is typed by hand.
      });
    return () => {
      current = false;
    };
    // Only a change of environment fills the owner in: a cleared owner stays cleared.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [environment, needsOwner, identityApi]);

  let helperText =
    schema.description ??
    'For environments whose region names carry their owner';
  if (environment) {
    helperText = needsOwner
      ? `${environment.name} regions are personal: their names carry the owner`
      : `${environment.name} region names carry no owner`;
  }
  const typedError =
    typed && needsOwner && config
      ? regionFieldError(
          'owner',
          formData,
          props.formContext?.formData ?? {},
          config,
          props.uiSchema['ui:options'],
        )
      : undefined;

  return (
    <TextField
      id={idSchema?.$id}
      fullWidth
      margin="normal"
      label={schema.title ?? 'Owner'}
      disabled={!needsOwner}
      value={formData ?? ''}
      // An owner cleared stays in the form as empty, so that its validation says it is required.
      onChange={e => {
        setTyped(true);
        onChange(e.target.value);
      }}
      error={rawErrors?.length > 0 || typedError !== undefined}
      helperText={typedError ?? helperText}
      // Marked required without the input's own check, which would stop the form
      // before its validation can say why.
      InputLabelProps={{ shrink: true, required: needsOwner }}
    />
  );
}

/** Where the environment needs an owner, one that the region's names can carry. */
export const ownerPickerValidation = regionFieldValidation('owner');
