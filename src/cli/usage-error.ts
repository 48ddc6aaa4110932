/** A mistake in the command line or its input: printed as one line, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Exit codes of the `sipwire` command. */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;
