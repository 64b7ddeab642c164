/** Whether the backend answered that what was asked for does not exist. */
export function isNotFound(error: Error): boolean {
  const status = (error as { statusCode?: number }).statusCode;
  return (
    status === 404 ||
    error.name === 'NotFoundError' ||
    (error as { cause?: Error }).cause?.name === 'NotFoundError'
  );
}
