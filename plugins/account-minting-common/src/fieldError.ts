import { InputError } from '@backstage/errors';

/**
 * Bad input that concerns one field: its message is `<field>: <rule>`, and the field
 * and the rule are kept apart, so that a form shows the rule beside its field.
 */
export class FieldError extends InputError {
  constructor(readonly field: string, readonly rule: string) {
    super(`${field}: ${rule}`);
  }
}
