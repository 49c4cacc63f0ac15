/** An action that failed before or without a command's exit code: a missing source, a bad template. */
export class ActionError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'ActionError';
  }
}
