/**
 * Real software judges the requests the library builds: sipp's built-in uas scenario answers
 * an INVITE built by buildRequest, then receives the ACK built by buildAck and the BYE built
 * from the dialog record, over UDP and TCP, and must count the call as successful. sipp is
 * the Debian package sip-tester: without it these tests say so and skip; under CI=true its
 * absence fails.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, readFileSync } from 'node:fs';
import { connect, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  buildAck,
  buildInDialogRequest,
  buildRequest,
  createParser,
  createUacDialog,
  isFinal,
  isSuccess,
  parseDatagram,
  type SentBy,
  type SipRequest,
  type SipResponse,
  serialize,
  validate,
} from '../../src/index.js';

const haveSipp = spawnSync('sh', ['-c', 'command -v sipp']).status === 0;
if (process.env['CI'] === 'true' && !haveSipp) {
  throw new Error('CI=true but sipp is missing: .ci/run must apt-get install sip-tester');
}
if (!haveSipp)
  console.warn('sipp is not installed (apt-get install sip-tester): sipp UAS tests skipped');

/** A TCP port free right now (sipp needs a fixed one for -p). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

interface Sipp {
  readonly done: Promise<{ code: number | null; output: string }>;
  stop(): void;
}

/** sipp -sn uas for one call, bounded by -timeout and killed by PID when it overruns. */
function startSipp(port: number, mode: 'u1' | 't1', statistics: string): Sipp {
  const child = spawn(
    'sipp',
    [
      ...['-sn', 'uas', '-i', '127.0.0.1', '-p', String(port), '-t', mode, '-m', '1'],
      ...['-nostdin', '-timeout', '20s', '-timeout_error'],
      ...['-trace_stat', '-stf', statistics, '-fd', '1'],
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const timer = setTimeout(() => stop(), 30_000);
  const stop = (): void => {
    if (child.pid !== undefined && child.exitCode === null) process.kill(child.pid, 'SIGKILL');
  };
  const done = new Promise<{ code: number | null; output: string }>((resolve) => {
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
  return { done, stop };
}

/** A transport that sends bytes to sipp and hands each response to `onResponse`. */
interface Link {
  readonly local: SentBy;
  send(bytes: Uint8Array): void;
  close(): void;
}

async function openUdp(port: number, onResponse: (response: SipResponse) => void): Promise<Link> {
  const socket = createSocket('udp4');
  socket.on('message', (bytes) => {
    const message = parseDatagram(new Uint8Array(bytes));
    if (message.type === 'response') onResponse(message);
  });
  await new Promise<void>((resolve) => socket.connect(port, '127.0.0.1', resolve));
  return {
    local: { transport: 'UDP', host: '127.0.0.1', port: socket.address().port },
    send: (bytes) => socket.send(bytes),
    close: () => socket.close(),
  };
}

async function openTcp(port: number, onResponse: (response: SipResponse) => void): Promise<Link> {
  // sipp may still be starting: try to connect for a few seconds
  let socket: Socket | undefined;
  for (let attempt = 0; socket === undefined && attempt < 50; attempt++) {
    socket = await new Promise<Socket | undefined>((resolve) => {
      const candidate = connect({ host: '127.0.0.1', port }, () => resolve(candidate));
      candidate.on('error', () => resolve(undefined));
    });
    if (socket === undefined) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  if (socket === undefined) throw new Error(`sipp never listened on TCP ${port}`);
  const connected = socket;
  const parser = createParser();
  connected.on('data', (chunk: Uint8Array) => {
    for (const message of parser.push(chunk)) if (message.type === 'response') onResponse(message);
  });
  return {
    local: { transport: 'TCP', host: '127.0.0.1', port: connected.localPort ?? 0 },
    send: (bytes) => connected.write(bytes),
    close: () => connected.destroy(),
  };
}

function statistics(file: string): Record<string, string> {
  const lines = readFileSync(file, 'utf8').trim().split('\n');
  const header = (lines[0] ?? '').split(';');
  const last = (lines.at(-1) ?? '').split(';');
  return Object.fromEntries(header.map((name, index) => [name, last[index] ?? '']));
}

function must(request: SipRequest): string[] {
  return validate(request)
    .filter((issue) => issue.severity === 'MUST')
    .map((issue) => issue.code);
}

describe.runIf(haveSipp).each([
  ['UDP', 'u1'],
  ['TCP', 't1'],
] as const)(
  'sipp uas judges an INVITE, ACK and BYE built by the library over %s',
  (_name, mode) => {
    it('completes the call', async () => {
      const port = await freePort();
      const stats = join(mkdtempSync(join(tmpdir(), 'sipwire-sipp-uas-')), 'uas.csv');
      const sipp = startSipp(port, mode, stats);
      const sent: SipRequest[] = [];
      let resolveBye: (response: SipResponse) => void = () => {};
      const byeAnswered = new Promise<SipResponse>((resolve) => {
        resolveBye = resolve;
      });
      let invite: SipRequest | undefined;
      let answered = false;
      let link: Link | undefined;
      const send = (request: SipRequest): void => {
        sent.push(request);
        link?.send(serialize(request));
      };
      const onResponse = (response: SipResponse): void => {
        const method = response.headers.find((field) => field.name === 'CSeq')?.value.split(' ')[1];
        if (method === 'BYE') {
          if (isFinal(response.status)) resolveBye(response);
          return;
        }
        if (invite === undefined || !isFinal(response.status) || link === undefined) return;
        answered = true;
        // The ACK of the 2xx goes out on every retransmission of the 2xx (RFC 3261 §13.2.2.4)
        send(buildAck(invite, response));
        if (!isSuccess(response.status) || sent.some((request) => request.method === 'BYE')) return;
        const dialog = createUacDialog(invite, response);
        send(buildInDialogRequest(dialog, 'BYE', { via: link.local }).request);
      };
      try {
        link = mode === 'u1' ? await openUdp(port, onResponse) : await openTcp(port, onResponse);
        const local = link.local;
        invite = buildRequest('INVITE', `sip:service@127.0.0.1:${port}`, {
          via: { ...local, rport: mode === 'u1' },
          from: 'sipwire <sip:sipwire@127.0.0.1>',
          contact: `<sip:sipwire@127.0.0.1:${local.port}${mode === 't1' ? ';transport=tcp' : ''}>`,
        });
        // Over UDP, resend the INVITE until sipp answers (it may still be starting; RFC 3261 Timer A)
        for (let attempt = 0; attempt < 20 && !answered; attempt++) {
          send(invite);
          if (mode === 't1') break;
          await new Promise((resolve) => setTimeout(resolve, 250));
        }
        const byeResponse = await Promise.race([
          byeAnswered,
          new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 15_000)),
        ]);
        expect(byeResponse?.status).toBe(200);
        const result = await sipp.done;
        expect(result.code, result.output.slice(-2000)).toBe(0);
        const row = statistics(stats);
        expect(row['SuccessfulCall(C)']).toBe('1');
        expect(row['FailedCall(C)']).toBe('0');
        expect(sent.map((request) => request.method)).toEqual(
          expect.arrayContaining(['INVITE', 'ACK', 'BYE']),
        );
        for (const request of sent) expect(must(request)).toEqual([]);
      } finally {
        link?.close();
        sipp.stop();
      }
    }, 40_000);
  },
);
