import { createFormField } from '@backstage/plugin-scaffolder-react/alpha';
import { regionFieldExtensions } from '.';

// The form fields of the new frontend system, loaded when the scaffolder's form opens.
export const environmentPickerFormField = createFormField(
  regionFieldExtensions.environment,
);
export const regionPickerFormField = createFormField(
  regionFieldExtensions.region,
);
export const ownerPickerFormField = createFormField(
  regionFieldExtensions.owner,
);
