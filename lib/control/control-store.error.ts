/** A control change could not be stored (the backend is unreachable): it was made nowhere. */
export class ControlStoreError extends Error {
  override readonly name = 'ControlStoreError';

  constructor(
    message: string,
    override readonly cause?: unknown,
  ) {
    super(message);
  }
}
