/**
 * The examples are plain JavaScript a reader can run as is; tsc still checks them (checkJs)
 * against the built declarations, so an API change that breaks an example fails here.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  consumerCompilerOptions,
  ensureBuilt,
  listFiles,
  REPO_ROOT,
  run,
  TSC,
} from '../package/harness.js';

describe('examples/**/*.js', () => {
  beforeAll(async () => {
    await ensureBuilt();
  }, 120_000);

  it('type-check against the declarations in dist/ (checkJs)', async () => {
    const files = listFiles(join(REPO_ROOT, 'examples'))
      .filter((file) => file.endsWith('.js'))
      .map((file) => join(REPO_ROOT, 'examples', file));
    expect(files.length).toBeGreaterThanOrEqual(4);
    const dir = mkdtempSync(join(tmpdir(), 'sipwire-examples-'));
    try {
      const config = {
        compilerOptions: consumerCompilerOptions({
          allowJs: true,
          checkJs: true,
          noEmit: true,
          // Plain JavaScript has no annotations: implicit any is the reader's choice there.
          strict: false,
          exactOptionalPropertyTypes: false,
          noUncheckedIndexedAccess: false,
        }),
        files,
      };
      writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(config));
      const result = await run(TSC, ['-p', join(dir, 'tsconfig.json')], { cwd: REPO_ROOT });
      expect(result.stdout + result.stderr).toBe('');
      expect(result.code).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
