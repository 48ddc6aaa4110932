import { ParseError } from '../../../src/parse/errors.js';

/**
 * Runs `run` and returns the ParseError it throws; fails the test when it returns or throws
 * anything else.
 */
export function failure(run: () => unknown): ParseError {
  try {
    run();
  } catch (error) {
    if (error instanceof ParseError) return error;
    throw error;
  }
  throw new Error('expected a ParseError, but nothing was thrown');
}

/** The code and offset of the ParseError `run` throws, for compact assertions. */
export function codeAt(run: () => unknown): [string, number] {
  const error = failure(run);
  return [error.code, error.offset];
}
