/**
 * Helpers for the tests that drive real SIP software (sipp) against our servers: a free port,
 * a bounded sipp run stopped by its PID, sipp's own statistics, and a bounded wait.
 */
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** Whether a command is on the PATH. */
export function installed(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;
}

/** A TCP port free on 127.0.0.1 right now. */
export async function freePort(): Promise<number> {
  return await new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        resolve(typeof address === 'object' && address !== null ? address.port : 0),
      );
    });
  });
}

/** Runs sipp with a hard time limit (killed by its PID past it); resolves its exit code. */
export function runSipp(args: string[], timeoutMs: number): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn('sipp', args, { stdio: 'ignore' });
    const timer = setTimeout(() => {
      if (child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

/** sipp's own statistics file (-trace_stat -stf): the last row's cumulative counters. */
export function sippStatistics(file: string): Record<string, string> {
  const lines = readFileSync(file, 'utf8').trim().split('\n');
  const header = (lines[0] ?? '').split(';');
  const last = (lines.at(-1) ?? '').split(';');
  return Object.fromEntries(header.map((name, index) => [name, last[index] ?? '']));
}

/** Polls `check` every 50 ms until it gives a value; throws after `timeoutMs`. */
export async function waitFor<T>(
  check: () => T | undefined,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
