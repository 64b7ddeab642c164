/** An error the sandbox answers with, as the AWS service would. */
export class AwsError extends Error {
  constructor(
    /** The error code, such as `DuplicateOrganizationalUnitException` or `NoSuchEntity`. */
    readonly code: string,
    message: string,
    readonly statusCode = 400,
    /** Extra members of the error shape, such as Organizations' `Reason` or a `fieldList`. */
    readonly fields: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = code;
  }

  /** Sender or Receiver, as Query-protocol errors say. */
  get type(): 'Sender' | 'Receiver' {
    return this.statusCode >= 500 ? 'Receiver' : 'Sender';
  }
}

/** Any failure as the AWS error to answer with: a bug in the sandbox is an InternalFailure. */
export function asAwsError(error: unknown): AwsError {
  return error instanceof AwsError
    ? error
    : new AwsError(
        'InternalFailure',
        'The sandbox failed to handle the request',
        500,
      );
}
