import { ensureBuilt } from './package/harness.js';

/**
 * Builds dist/ once before any test file loads: the package, browser, example, README and
 * benchmark-adapter tests run against the built files, and on a fresh clone there are none.
 */
export async function setup(): Promise<void> {
  await ensureBuilt();
}
