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

/** Bad input in several fields at once, each with its rule, as a form shows them. */
export class FieldErrors extends InputError {
  constructor(readonly fields: Record<string, string>) {
    super(
      Object.entries(fields)
        .map(([field, rule]) => `${field}: ${rule}`)
        .join('; '),
    );
  }
}
