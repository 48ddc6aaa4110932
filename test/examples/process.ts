/**
 * Runs an example as its reader would (`node examples/…`), waits for the line that says it is
 * ready, and stops it afterwards.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from '../package/harness.js';

/** A running example and everything it printed so far. */
export interface RunningExample {
  readonly child: ChildProcess;
  /** The match of the readiness pattern. */
  readonly ready: RegExpExecArray;
  /** Every line printed to stdout and stderr, in order. */
  readonly lines: string[];
  /** Resolves when a line matching `pattern` has been printed (at once if one was). */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  stop(): Promise<void>;
}

/**
 * Starts `node examples/<file> args…` from the repository root.
 * @param file - path under examples/
 * @param args - command-line arguments
 * @param ready - the line that says the example is listening
 * @returns the running example
 * @throws Error when it exits or stays silent for 10 s before printing `ready`
 */
export async function startExample(
  file: string,
  args: readonly string[],
  ready: RegExp,
): Promise<RunningExample> {
  const child = spawn(process.execPath, [join('examples', file), ...args], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const waiters = new Set<() => void>();
  let exited = false;
  const collect = (chunk: Buffer): void => {
    lines.push(
      ...chunk
        .toString('utf8')
        .split('\n')
        .filter((line) => line !== ''),
    );
    for (const wake of waiters) wake();
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  child.on('exit', () => {
    exited = true;
    for (const wake of waiters) wake();
  });

  const waitFor = (pattern: RegExp, timeoutMs = 10_000): Promise<string> =>
    new Promise((done, fail) => {
      const check = (): boolean => {
        const line = lines.find((candidate) => pattern.test(candidate));
        if (line !== undefined) {
          finish();
          done(line);
          return true;
        }
        if (exited) {
          finish();
          fail(
            new Error(`examples/${file} exited before printing ${pattern}:\n${lines.join('\n')}`),
          );
          return true;
        }
        return false;
      };
      const timer = setTimeout(() => {
        finish();
        fail(new Error(`examples/${file} did not print ${pattern}:\n${lines.join('\n')}`));
      }, timeoutMs);
      const finish = (): void => {
        clearTimeout(timer);
        waiters.delete(wake);
      };
      const wake = (): void => {
        check();
      };
      if (!check()) waiters.add(wake);
    });

  let line: string;
  try {
    line = await waitFor(ready);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  const match = ready.exec(line);
  if (match === null) throw new Error('unreachable: the ready line matched before');
  return {
    child,
    ready: match,
    lines,
    waitFor,
    stop: () =>
      new Promise<void>((done) => {
        if (exited) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
      }),
  };
}
