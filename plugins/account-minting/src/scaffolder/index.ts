import {
  ENVIRONMENT_PICKER,
  EnvironmentPicker,
  environmentPickerValidation,
} from './EnvironmentPicker';
import {
  OWNER_PICKER,
  OwnerPicker,
  ownerPickerValidation,
} from './OwnerPicker';
import {
  REGION_PICKER,
  RegionPicker,
  regionPickerValidation,
} from './RegionPicker';

/**
 * The scaffolder fields of a region request, each with the name templates use in
 * `ui:field`, for both frontend systems to install.
 */
export const regionFieldExtensions = {
  environment: {
    name: ENVIRONMENT_PICKER,
    component: EnvironmentPicker,
    validation: environmentPickerValidation,
  },
  region: {
    name: REGION_PICKER,
    component: RegionPicker,
    validation: regionPickerValidation,
  },
  owner: {
    name: OWNER_PICKER,
    component: OwnerPicker,
    validation: ownerPickerValidation,
  },
};

export type { RegionFieldOptions } from './regionFields';
