/**
 * Shared by the package, browser, README and example tests: build dist once per vitest run
 * (test files run in parallel forks, so the build is guarded by a lock and a stamp), run
 * commands, and make throwaway projects that import sipwire by its package name.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (where package.json lives). */
export const REPO_ROOT: string = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** The repository's own TypeScript compiler: consumers are checked with the version we build with. */
export const TSC: string = join(REPO_ROOT, 'node_modules/.bin/tsc');

/** What a finished child process left behind. */
export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs a command without a shell and waits for it; never rejects (the exit code is data).
 * @param file - the program
 * @param args - its arguments
 * @param options - working directory, extra environment, time limit in milliseconds
 * @returns exit code and output
 */
export function run(
  file: string,
  args: readonly string[],
  options: { cwd?: string; env?: Record<string, string>; timeoutMs?: number } = {},
): Promise<RunResult> {
  return new Promise((done) => {
    execFile(
      file,
      [...args],
      {
        cwd: options.cwd ?? REPO_ROOT,
        env: { ...process.env, ...options.env },
        timeout: options.timeoutMs ?? 60_000,
        maxBuffer: 16 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        const code =
          error === null ? 0 : typeof error.code === 'number' ? error.code : error.killed ? 124 : 1;
        done({ code, stdout: String(stdout), stderr: String(stderr) });
      },
    );
  });
}

/** Every file under `dir`, relative to it, sorted. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (folder: string): void => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else out.push(relative(dir, path));
    }
  };
  walk(dir);
  return out.sort();
}

/** Sizes and times of everything the build reads, so a stamp changes when any of it does. */
function sourceFingerprint(): string {
  const hash = createHash('sha256');
  // The vitest main process is every worker's parent: one build per run, not one per file.
  hash.update(`run ${process.ppid}\n`);
  for (const file of ['package.json', 'tsconfig.base.json', 'tsconfig.build.json']) {
    const stat = statSync(join(REPO_ROOT, file));
    hash.update(`${file} ${stat.size} ${stat.mtimeMs}\n`);
  }
  for (const file of listFiles(join(REPO_ROOT, 'src'))) {
    const stat = statSync(join(REPO_ROOT, 'src', file));
    hash.update(`${file} ${stat.size} ${stat.mtimeMs}\n`);
  }
  return hash.digest('hex').slice(0, 16);
}

const CACHE_DIR = join(REPO_ROOT, 'node_modules/.cache/sipwire-tests');

function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}

/**
 * Runs `fn` while holding a lock shared by every test process of this checkout. A lock left by
 * a killed process is taken over after two minutes.
 */
export async function withLock<T>(name: string, fn: () => Promise<T>): Promise<T> {
  mkdirSync(CACHE_DIR, { recursive: true });
  const lock = join(CACHE_DIR, `${name}.lock`);
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      try {
        if (Date.now() - statSync(lock).mtimeMs > 120_000) rmSync(lock, { recursive: true });
      } catch {
        // the holder released it in between: try again
      }
      await sleep(100);
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/**
 * Makes sure dist/ was built by `npm run build` from the current sources during this test run.
 * The first caller builds; the others wait for it and then reuse dist/.
 * @throws Error with the compiler output when the build fails
 */
export function ensureBuilt(): Promise<void> {
  return withLock('build', async () => {
    const stamp = join(CACHE_DIR, 'build.stamp');
    const fingerprint = sourceFingerprint();
    const fresh =
      existsSync(stamp) &&
      readFileSync(stamp, 'utf8') === fingerprint &&
      existsSync(join(REPO_ROOT, 'dist/index.js'));
    if (fresh) return;
    // Build next to dist/ (so source-map paths are the same), then swap directories: other
    // test files reading dist/ meanwhile never see a half-written file.
    const staging = join(REPO_ROOT, `.dist-staging-${process.pid}`);
    const old = join(REPO_ROOT, `.dist-old-${process.pid}`);
    rmSync(staging, { recursive: true, force: true });
    const result = await run('npm', ['run', 'build', '--silent', '--', '--outDir', staging], {
      timeoutMs: 120_000,
    });
    if (result.code !== 0) {
      rmSync(staging, { recursive: true, force: true });
      throw new Error(
        `npm run build failed (exit ${result.code}):\n${result.stdout}${result.stderr}`,
      );
    }
    const dist = join(REPO_ROOT, 'dist');
    if (existsSync(dist)) renameSync(dist, old);
    renameSync(staging, dist);
    rmSync(old, { recursive: true, force: true });
    writeFileSync(stamp, fingerprint);
  });
}

/**
 * Creates an empty ESM project in a temporary folder whose `node_modules/sipwire` is a link to
 * this checkout, so code there imports `sipwire`, `sipwire/parse`… by name, as a user would.
 * @param prefix - folder name prefix
 * @returns the folder (the caller removes it)
 */
export function linkedProject(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `${prefix}-`));
  writeFileSync(
    join(dir, 'package.json'),
    `${JSON.stringify({ name: `${prefix}-consumer`, private: true, type: 'module' }, null, 2)}\n`,
  );
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(REPO_ROOT, join(dir, 'node_modules/sipwire'), 'dir');
  return dir;
}

/**
 * Compiler options a consumer would use: strict, NodeNext, and Node's types taken from this
 * checkout (the temporary project installs nothing).
 */
export function consumerCompilerOptions(
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    target: 'ES2022',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    lib: ['ES2022', 'DOM'],
    strict: true,
    noUncheckedIndexedAccess: true,
    exactOptionalPropertyTypes: true,
    verbatimModuleSyntax: true,
    skipLibCheck: false,
    types: ['node'],
    typeRoots: [join(REPO_ROOT, 'node_modules/@types')],
    ...extra,
  };
}

/**
 * Type-checks and compiles the project in `dir` with the repository's tsc and a tsconfig
 * written there.
 * @param dir - the project folder
 * @param include - globs relative to it
 * @param compilerOptions - see consumerCompilerOptions
 * @returns the compiler's result (exit 0 and no output when all is well)
 */
export function compileProject(
  dir: string,
  include: readonly string[],
  compilerOptions: Record<string, unknown>,
): Promise<RunResult> {
  writeFileSync(
    join(dir, 'tsconfig.json'),
    `${JSON.stringify({ compilerOptions, include }, null, 2)}\n`,
  );
  return run(TSC, ['-p', join(dir, 'tsconfig.json')], { cwd: dir });
}

/** True when tests must not skip for a missing tool (CI sets CI=true). */
export const IN_CI: boolean = process.env['CI'] === 'true';
