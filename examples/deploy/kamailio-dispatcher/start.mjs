// Starts Kamailio (dispatcher) in front of N `sipwire serve` responders, all on 127.0.0.1:
//
//   npm run build
//   node examples/deploy/kamailio-dispatcher/start.mjs [--port 5060] [--responders 3]
//       [--restart-ms 3000] [--quiet]
//   sipp -sn uac -r 50 -m 500 127.0.0.1:5060          # in another terminal
//
// Each responder listens on a free port; the dispatcher list is written to a temporary
// directory that also holds Kamailio's pid file and runtime files. Kamailio runs in the
// foreground as the current user (-DD -E), no system service. A responder that exits is
// started again on the same port after --restart-ms (0: never), like a service manager would.
// Output: one line per event, responder lines prefixed r1, r2, …; Kamailio's lines "kamailio".
// Ctrl-C (or SIGTERM) stops everything it started, by PID.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '5060' },
    responders: { type: 'string', default: '3' },
    'restart-ms': { type: 'string', default: '3000' },
    quiet: { type: 'boolean', default: false },
  },
});
const port = Number(values.port);
const count = Number(values.responders);
const restartMs = Number(values['restart-ms']);
const here = import.meta.dirname;
const sipwire = join(here, '..', '..', '..', 'bin', 'sipwire.js');

if (spawnSync('sh', ['-c', 'command -v kamailio']).status !== 0) {
  console.error('kamailio is not installed: apt-get install kamailio');
  process.exit(2);
}

const runDir = mkdtempSync(join(tmpdir(), 'sipwire-kamailio-'));
let stopping = false;

/** Prints each line a child writes, with a prefix. */
function relay(stream, prefix) {
  let rest = '';
  stream.on('data', (chunk) => {
    const lines = (rest + chunk.toString('utf8')).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) if (line !== '') console.log(`${prefix} ${line}`);
  });
}

/** Starts responder `index` on `wantedPort` (0: a free one); resolves with its port. */
function startResponder(index, wantedPort) {
  const args = [sipwire, 'serve', '--host', '127.0.0.1', '--port', String(wantedPort)];
  if (values.quiet) args.push('--quiet');
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  responders[index] = { child, port: wantedPort };
  relay(child.stdout, `r${index + 1}`);
  relay(child.stderr, `r${index + 1}`);
  child.on('exit', (code, signal) => {
    if (stopping) return;
    console.log(`r${index + 1} exited (pid ${child.pid}, ${signal ?? code})`);
    if (restartMs > 0) {
      console.log(`r${index + 1} restarting in ${restartMs} ms`);
      setTimeout(() => {
        if (!stopping) startResponder(index, responders[index].port);
      }, restartMs);
    }
  });
  return new Promise((resolve, reject) => {
    child.stdout.once('data', (chunk) => {
      const match = /listening on [^\s]*:(\d+)/.exec(chunk.toString('utf8'));
      if (match === null) return reject(new Error(`r${index + 1} did not start: ${chunk}`));
      responders[index].port = Number(match[1]);
      console.log(`r${index + 1} started pid=${child.pid} port=${match[1]}`);
      resolve(Number(match[1]));
    });
  });
}

const responders = [];
for (let index = 0; index < count; index++) await startResponder(index, 0);

const list = join(runDir, 'dispatcher.list');
writeFileSync(
  list,
  `# setid destination\n${responders.map(({ port: p }) => `1 sip:127.0.0.1:${p}\n`).join('')}`,
);

const kamailio = spawn(
  'kamailio',
  [
    ...['-f', join(here, 'kamailio.cfg'), '-DD', '-E'],
    ...['-l', `udp:127.0.0.1:${port}`, '-l', `tcp:127.0.0.1:${port}`],
    ...['-Y', runDir, '-P', join(runDir, 'kamailio.pid'), '-w', runDir],
    ...['-m', '64', '-M', '8', '-A', `DS_LIST="${list}"`],
  ],
  { stdio: ['ignore', 'pipe', 'pipe'] },
);
relay(kamailio.stdout, 'kamailio');
relay(kamailio.stderr, 'kamailio');
kamailio.on('exit', (code, signal) => {
  if (!stopping) {
    console.log(`kamailio exited (${signal ?? code})`);
    shutdown(1);
  }
});
console.log(
  `ready: kamailio pid=${kamailio.pid} on 127.0.0.1:${port} (UDP + TCP) -> ` +
    `${responders.map(({ port: p }) => `127.0.0.1:${p}`).join(', ')}; dispatcher list ${list}`,
);

function shutdown(code) {
  if (stopping) return;
  stopping = true;
  const children = [kamailio, ...responders.map(({ child }) => child)].filter(
    (child) => child.exitCode === null && child.signalCode === null,
  );
  let left = children.length;
  const done = () => {
    rmSync(runDir, { recursive: true, force: true });
    process.exit(code);
  };
  if (left === 0) done();
  for (const child of children) {
    child.once('exit', () => --left === 0 && done());
    process.kill(child.pid, 'SIGTERM');
  }
  setTimeout(() => {
    for (const child of children) if (child.exitCode === null) process.kill(child.pid, 'SIGKILL');
    done();
  }, 5000).unref();
}
process.on('SIGINT', () => shutdown(0));
process.on('SIGTERM', () => shutdown(0));
