import { useApi } from '@backstage/frontend-plugin-api';
import type { CustomFieldValidator } from '@backstage/plugin-scaffolder-react';
import {
  MintingConfigView,
  validateRegionRequest,
} from '@regional-minting/plugin-account-minting-common';
import useAsync from 'react-use/esm/useAsync';
import { accountMintingApiRef } from '../api';

/** The form's values, as the scaffolder hands them to a field. */
type FormValues = Record<string, unknown>;

/** The fields of a region request that have a picker of their own. */
export type RegionField = 'environment' | 'region' | 'owner';

/**
 * Where a picker finds the rest of the request in the template's form (`ui:options`).
 * A template that fixes the environment (a personal dev region) names it with
 * `environment`; otherwise it is read from the form's `environmentField`.
 */
export type RegionFieldOptions = {
  /** The environment, when the template fixes it. */
  environment?: string;
  /** The form's field holding the environment; `environment` unless told. */
  environmentField?: string;
  /** The form's field holding the AWS region; `region` unless told. */
  regionField?: string;
};

const textOf = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

/** The environment the form has chosen, or the one the template fixes. */
export function chosenEnvironment(
  formData: FormValues | undefined,
  options: RegionFieldOptions | undefined,
): string | undefined {
  return (
    options?.environment ??
    textOf(formData?.[options?.environmentField ?? 'environment'])
  );
}

/**
 * What is wrong with one field of the form, by the rules that the portal's form and the
 * backend apply (validateRegionRequest), or undefined when it is right.
 */
export function regionFieldError(
  field: RegionField,
  value: unknown,
  formData: FormValues,
  config: MintingConfigView,
  options?: RegionFieldOptions,
): string | undefined {
  const environmentName =
    field === 'environment'
      ? textOf(value)
      : chosenEnvironment(formData, options);
  const environment = config.environments.find(e => e.name === environmentName);
  let region =
    field === 'region'
      ? value
      : textOf(formData[options?.regionField ?? 'region']);
  if (field === 'owner' && environment) {
    // The owner's rule does not depend on the region: an allowed one stands in until
    // the region is chosen and right, so that a malformed owner is named at once.
    region =
      typeof region === 'string' && environment.regions.includes(region)
        ? region
        : environment.regions[0];
  }
  const result = validateRegionRequest(
    {
      environment: environmentName,
      region: field === 'environment' ? undefined : region,
      owner: field === 'owner' ? value : undefined,
    },
    config,
  );
  return result.ok ? undefined : result.errors[field];
}

/**
 * The scaffolder's validation of a picker's field: against the configuration the
 * backend serves, so that a request it would refuse is stopped before submit.
 */
export function regionFieldValidation(
  field: RegionField,
): CustomFieldValidator<string, RegionFieldOptions> {
  return async (value, validation, context) => {
    const api = context.apiHolder.get(accountMintingApiRef);
    if (!api) {
      validation.addError(
        `${field} cannot be checked: the account-minting API is not installed in this app`,
      );
      return;
    }
    let config: MintingConfigView;
    try {
      config = await api.getConfig();
    } catch (error) {
      validation.addError(
        `${field} cannot be checked: could not load the account-minting configuration (${
          (error as Error).message
        })`,
      );
      return;
    }
    const message = regionFieldError(
      field,
      value,
      context.formData,
      config,
      context.uiSchema?.['ui:options'],
    );
    if (message) validation.addError(message);
  };
}

/** The account-minting configuration, as the pickers offer it. */
export function useMintingConfig() {
  const api = useApi(accountMintingApiRef);
  return useAsync(() => api.getConfig(), [api]);
}
