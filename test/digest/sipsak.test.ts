/**
 * Interop: sipsak (Debian `sipsak`, MD5 only) registers against a tiny test-only UDP
 * registrar built on sipwire/digest, the parser and buildResponse: 401 with a challenge, then
 * 200 once verifyCredentials says ok. Without sipsak the test says so and skips; under
 * CI=true its absence fails.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createChallenges,
  type DigestAlgorithm,
  type DigestVerdict,
  verifyCredentials,
} from '../../src/digest/index.js';
import { buildResponse, getHeader, serialize } from '../../src/message/index.js';
import { parseDatagram } from '../../src/parse/index.js';

const haveSipsak = spawnSync('sh', ['-c', 'command -v sipsak']).status === 0;
if (process.env['CI'] === 'true' && !haveSipsak) {
  throw new Error('CI=true but sipsak is missing: .ci/run must apt-get install sipsak');
}
if (!haveSipsak)
  console.warn('sipsak is not installed (apt-get install sipsak): digest interop skipped');

interface Registrar {
  port: number;
  readonly verdicts: DigestVerdict[];
  readonly statuses: number[];
  /** How many WWW-Authenticate values each 401 carried. */
  readonly challengeCounts: number[];
  algorithms: readonly DigestAlgorithm[];
  close(): Promise<void>;
}

/** A registrar for one user: 401 with a Digest challenge, 200 for right credentials. */
async function startRegistrar(): Promise<Registrar> {
  const socket: Socket = createSocket('udp4');
  const secret = crypto.getRandomValues(new Uint8Array(32));
  const registrar: Registrar = {
    port: 0,
    verdicts: [],
    statuses: [],
    challengeCounts: [],
    algorithms: ['MD5'],
    close: () => new Promise((resolve) => socket.close(() => resolve())),
  };
  const options = () => ({
    realm: 'sipwire.test',
    secret,
    algorithms: registrar.algorithms,
    lookup: (username: string) => (username === 'alice' ? { password: 'wonderland' } : undefined),
  });
  socket.on('message', (datagram, peer) => {
    void (async () => {
      const request = parseDatagram(datagram);
      if (request.type !== 'request') return;
      const authorization = getHeader(request, 'Authorization');
      let reply: ReturnType<typeof buildResponse>['response'];
      const verdict =
        authorization === undefined
          ? undefined
          : await verifyCredentials(
              authorization,
              { method: request.method, uri: request.uri },
              options(),
            );
      if (verdict !== undefined) registrar.verdicts.push(verdict);
      if (verdict?.status === 'ok') {
        const contact = getHeader(request, 'Contact');
        reply = buildResponse(request, 200, {
          ...(contact === undefined ? {} : { contact: `${contact};expires=15` }),
        }).response;
      } else {
        const challenges = await createChallenges({
          ...options(),
          stale: verdict?.status === 'stale',
        });
        registrar.challengeCounts.push(challenges.length);
        reply = buildResponse(request, 401, {
          headers: { 'WWW-Authenticate': challenges },
        }).response;
      }
      registrar.statuses.push(reply.status);
      socket.send(serialize(reply), peer.port, peer.address);
    })();
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  registrar.port = socket.address().port;
  return registrar;
}

function run(args: string[], timeoutMs: number): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn('sipsak', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const timer = setTimeout(() => {
      if (child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe.runIf(haveSipsak)('sipsak registers with Digest MD5', () => {
  let registrar: Registrar;
  beforeAll(async () => {
    registrar = await startRegistrar();
  });
  afterAll(async () => {
    await registrar.close();
  });

  // sipsak 0.9.8 reads only the first challenge and stops with "unsupported authentication
  // algorithm" when it is SHA-256, so a server with such clients lists MD5 first
  it.each([[['MD5'] as const], [['MD5', 'SHA-256'] as const]])(
    'gets 401 offering %j, answers the challenge and gets 200',
    async (algorithms) => {
      registrar.algorithms = algorithms;
      const result = await run(
        [
          '-vv',
          '-U',
          '-C',
          'sip:alice@127.0.0.1:5999',
          '-a',
          'wonderland',
          '-u',
          'alice',
          '-s',
          `sip:alice@127.0.0.1:${registrar.port}`,
        ],
        20_000,
      );
      expect(result.code, result.output).toBe(0);
      expect(registrar.statuses).toContain(401);
      expect(registrar.challengeCounts.at(-1)).toBe(algorithms.length);
      expect(registrar.statuses.at(-1)).toBe(200);
      expect(registrar.verdicts.at(-1)).toMatchObject({ status: 'ok', algorithm: 'MD5' });
    },
    30_000,
  );
});
