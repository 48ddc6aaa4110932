/**
 * Access to the shared folder (`../shared` beside the repo: reference facts and corpora),
 * read in place and never copied. When it is missing, tests skip with a message; under
 * `CI=true` a missing folder fails the run instead.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// This file is test/helpers/shared.ts, so the repo root is two folders up.
const SHARED_URL = new URL('../../../shared/', import.meta.url);

/** Absolute path of the shared folder: `../shared` relative to the repo root. */
export const SHARED_DIR: string = fileURLToPath(SHARED_URL);

/**
 * Absolute path of a file or folder inside the shared folder.
 * @param relativePath - e.g. `reference/status-codes.json`
 */
export function sharedPath(relativePath: string): string {
  return fileURLToPath(new URL(relativePath, SHARED_URL));
}

function missingMessage(relativePath: string): string {
  return `Shared test data ${sharedPath(relativePath)} is missing: clone or place the shared folder beside the repo (../shared) to run these tests`;
}

function isCi(): boolean {
  const { CI } = process.env;
  return CI === 'true';
}

/**
 * Whether `relativePath` exists in the shared folder. When it doesn't, prints why the tests
 * that need it are skipped, or throws under `CI=true` so the run fails. Meant for
 * `describe.skipIf(!sharedAvailable('reference/status-codes.json'))(…)`.
 * @param relativePath - path inside the shared folder; defaults to the folder itself
 */
export function sharedAvailable(relativePath = ''): boolean {
  if (existsSync(sharedPath(relativePath))) return true;
  if (isCi()) throw new Error(`${missingMessage(relativePath)} (CI=true: failing)`);
  console.warn(`${missingMessage(relativePath)}; skipping`);
  return false;
}

/**
 * Inside a test: returns the absolute path of `relativePath` in the shared folder, or skips
 * the test with a message when it is missing (fails instead under `CI=true`).
 * @param context - the test context (its `skip`)
 * @param relativePath - path inside the shared folder
 */
export function requireShared(
  context: { readonly skip: (note?: string) => void },
  relativePath: string,
): string {
  const path = sharedPath(relativePath);
  if (existsSync(path)) return path;
  if (isCi()) throw new Error(`${missingMessage(relativePath)} (CI=true: failing)`);
  context.skip(missingMessage(relativePath));
  return path;
}
