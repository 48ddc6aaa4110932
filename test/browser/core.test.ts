/**
 * The core (codes, message, parse, digest) runs unchanged in a real browser: a page on 127.0.0.1
 * loads the built ESM files of dist/, parses a SIP-over-WebSocket frame (RFC 7118: one frame is
 * one message, Via transport WSS), builds and serializes a 486 and a 405, computes and verifies
 * Digest responses with Web Crypto, builds and parses a multipart body, and reports back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../package/harness.js';
import {
  type Browser,
  chromiumMissing,
  IMPORT_MAP,
  launchChromium,
  type StaticServer,
  serveStatic,
} from './chromium.js';

/** The page's own code: what a browser app using sipwire would write. */
const PAGE_SCRIPT = `
import { isSipError, StatusCode } from 'sipwire';
import { reasonPhrase, isFinal } from 'sipwire/codes';
import { buildResponse, BuildError, serialize, serializeToString, validate } from 'sipwire/message';
import { createParser, parseDatagram, ParseError } from 'sipwire/parse';
import { ManualClock, ServerTransactionLayer } from 'sipwire/transaction';
import { answerChallenge, computeDigestResponse, createChallenges, verifyCredentials } from 'sipwire/digest';
import { buildMultipart, parseMultipart } from 'sipwire/message';

// RFC 7118 §5: each WebSocket message carries exactly one SIP message; the Via transport is WSS.
const frame = [
  'INVITE sip:bob@example.com SIP/2.0',
  'Via: SIP/2.0/WSS df7jal23ls0d.invalid;branch=z9hG4bK56sdasks',
  'From: "Alice" <sip:alice@example.com>;tag=9fxced76sl',
  'To: <sip:bob@example.com>',
  'Call-ID: 3848276298220188511@ws.example.com',
  'CSeq: 1 INVITE',
  'Max-Forwards: 70',
  'Contact: <sip:a8k2j@df7jal23ls0d.invalid;transport=ws;ob>',
  'Content-Length: 0',
  '',
  '',
].join('\\r\\n');

const result = { globals: { Buffer: typeof Buffer, process: typeof process, require: typeof require } };
try {
  const bytes = new TextEncoder().encode(frame);
  const request = parseDatagram(bytes);
  result.request = {
    method: request.method,
    transport: request.via[0].transport,
    branch: request.via[0].branch,
    fromTag: request.from.tag,
    callId: request.callId,
    cseq: [request.cseq.seq, request.cseq.method],
  };
  // The stream parser gives the same message whatever the chunking.
  const parser = createParser();
  const streamed = [...parser.push(bytes.subarray(0, 37)), ...parser.push(bytes.subarray(37))];
  parser.end();
  result.streamed = streamed.map((message) => message.callId);

  const busy = buildResponse(request, StatusCode.BUSY_HERE, { toTag: 'b486' });
  const busyWire = serialize(busy.response);
  result.busy = {
    isUint8Array: busyWire instanceof Uint8Array,
    byteLength: busyWire.byteLength,
    wire: new TextDecoder().decode(busyWire),
    warnings: busy.warnings.length,
    issues: validate(busy.response, { request }).map((issue) => issue.code),
    reason: reasonPhrase(486),
    final: isFinal(486),
  };
  const allow = ['INVITE', 'ACK', 'CANCEL', 'BYE', 'OPTIONS'];
  const notAllowed = buildResponse(request, StatusCode.METHOD_NOT_ALLOWED, { toTag: 'b405', allow });
  result.notAllowed = {
    wire: serializeToString(notAllowed.response),
    issues: validate(notAllowed.response, { request }).map((issue) => issue.code),
  };
  try {
    buildResponse(request, StatusCode.METHOD_NOT_ALLOWED);
  } catch (error) {
    result.buildError = {
      isBuildError: error instanceof BuildError,
      branded: isSipError(error),
      code: error.code,
      header: error.header,
    };
  }
  // RFC 3261 §17.2.1 on fake time: a 486 over an unreliable transport, retransmitted at
  // T1 and 3·T1 until the ACK
  const clock = new ManualClock();
  const layer = new ServerTransactionLayer({ clock });
  const sent = [];
  const transport = { reliable: false, send: (bytes) => sent.push([clock.now(), new TextDecoder().decode(bytes)]) };
  const received = layer.receive(request, transport);
  received.transaction.respond(StatusCode.BUSY_HERE);
  clock.advance(2000);
  const tag = received.transaction.toTag;
  const ack = parseDatagram(new TextEncoder().encode(frame.replace('INVITE sip', 'ACK sip').replace('1 INVITE', '1 ACK').replace('<sip:bob@example.com>', '<sip:bob@example.com>;tag=' + tag)));
  const acked = layer.receive(ack, transport).kind;
  clock.advance(10000);
  result.transaction = {
    times: sent.map(([at]) => at),
    identical: new Set(sent.map(([, text]) => text)).size,
    acked,
    live: layer.size,
  };
  try {
    parseDatagram(new TextEncoder().encode('SIP/2.0 2x0 OK\\r\\n\\r\\n'));
  } catch (error) {
    result.parseError = { isParseError: error instanceof ParseError, code: error.code, offset: error.offset };
  }

  // Digest: Web Crypto (SHA-256, HMAC nonces) and the package's own MD5 and SHA-512/256
  const vector = { username: 'Mufasa', password: 'Circle of Life', realm: 'http-auth@example.org',
    nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v', method: 'GET', uri: '/dir/index.html',
    qop: 'auth', nc: 1, cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ' };
  const server = { realm: 'example.com', secret: crypto.getRandomValues(new Uint8Array(32)),
    algorithms: ['SHA-512-256', 'SHA-256', 'MD5'], qop: ['auth', 'auth-int'],
    lookup: (user) => (user === 'bob' ? { password: 'zanzibar' } : undefined) };
  const registerRequest = { method: 'REGISTER', uri: 'sip:example.com', body: new Uint8Array([1, 2]) };
  const answer = await answerChallenge(await createChallenges(server), registerRequest,
    { username: 'bob', password: 'zanzibar', qop: 'auth-int' });
  result.digest = {
    sha256: await computeDigestResponse({ ...vector, algorithm: 'SHA-256' }),
    md5: await computeDigestResponse({ ...vector, algorithm: 'MD5' }),
    chosen: answer.algorithm,
    verdict: (await verifyCredentials(answer.value, registerRequest, server)).status,
  };

  // multipart: binary parts survive build and parse
  const built = buildMultipart([
    { contentType: 'application/sdp', body: 'v=0\\r\\n' },
    { contentType: 'application/isup;version=itu-t92+', body: new Uint8Array([0x0d, 0x0a, 0x2d, 0xff]) },
  ]);
  result.multipart = parseMultipart(built.body, built.contentType).parts.map((part) => [...part.body]);
} catch (error) {
  result.error = String(error && error.stack || error);
}
window.__result = result;
`;

const PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><title>sipwire in a browser</title>
${IMPORT_MAP}
<script type="module">${PAGE_SCRIPT}</script>
</head><body>sipwire</body></html>`;

const BUSY_WIRE =
  'SIP/2.0 486 Busy Here\r\n' +
  'Via: SIP/2.0/WSS df7jal23ls0d.invalid;branch=z9hG4bK56sdasks\r\n' +
  'From: "Alice" <sip:alice@example.com>;tag=9fxced76sl\r\n' +
  'To: <sip:bob@example.com>;tag=b486\r\n' +
  'Call-ID: 3848276298220188511@ws.example.com\r\n' +
  'CSeq: 1 INVITE\r\n' +
  'Content-Length: 0\r\n' +
  '\r\n';

const NOT_ALLOWED_WIRE =
  'SIP/2.0 405 Method Not Allowed\r\n' +
  'Via: SIP/2.0/WSS df7jal23ls0d.invalid;branch=z9hG4bK56sdasks\r\n' +
  'From: "Alice" <sip:alice@example.com>;tag=9fxced76sl\r\n' +
  'To: <sip:bob@example.com>;tag=b405\r\n' +
  'Call-ID: 3848276298220188511@ws.example.com\r\n' +
  'CSeq: 1 INVITE\r\n' +
  'Allow: INVITE, ACK, CANCEL, BYE, OPTIONS\r\n' +
  'Content-Length: 0\r\n' +
  '\r\n';

const skipReason = chromiumMissing();

describe.skipIf(skipReason !== undefined)('the core in headless Chromium', () => {
  let browser: Browser;
  let server: StaticServer;
  let result: Record<string, unknown>;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    await ensureBuilt();
    server = await serveStatic({ '/': PAGE });
    browser = await launchChromium();
    const page = await browser.context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
    await page.goto(`${server.origin}/`);
    await page
      .waitForFunction(() => '__result' in window, undefined, { timeout: 15_000 })
      .catch((error: unknown) => {
        throw new Error(`the page set no result: ${pageErrors.join('; ') || String(error)}`);
      });
    result = (await page.evaluate(
      () => (window as unknown as { __result: unknown }).__result,
    )) as Record<string, unknown>;
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('loads only the core from dist/, with no error', () => {
    expect(result['error']).toBeUndefined();
    expect(pageErrors).toEqual([]);
    expect(server.missing).toEqual([]);
    const loaded = server.requested.filter((path) => path.endsWith('.js'));
    expect(loaded).toEqual(
      expect.arrayContaining([
        '/dist/index.js',
        '/dist/codes/index.js',
        '/dist/message/index.js',
        '/dist/parse/index.js',
        '/dist/transaction/index.js',
        '/dist/digest/index.js',
      ]),
    );
    expect(loaded.filter((path) => /^\/dist\/(node|cli)\//.test(path))).toEqual([]);
    expect(result['globals']).toEqual({
      Buffer: 'undefined',
      process: 'undefined',
      require: 'undefined',
    });
  });

  it('parses a WebSocket frame as one datagram, and the same bytes in two chunks', () => {
    expect(result['request']).toEqual({
      method: 'INVITE',
      transport: 'WSS',
      branch: 'z9hG4bK56sdasks',
      fromTag: '9fxced76sl',
      callId: '3848276298220188511@ws.example.com',
      cseq: [1, 'INVITE'],
    });
    expect(result['streamed']).toEqual(['3848276298220188511@ws.example.com']);
  });

  it('runs a server transaction on fake time', () => {
    expect(result['transaction']).toEqual({
      times: [0, 500, 1500],
      identical: 1,
      acked: 'absorbed',
      live: 0,
    });
  });

  it('builds and serializes a 486 Busy Here', () => {
    expect(result['busy']).toEqual({
      isUint8Array: true,
      byteLength: new TextEncoder().encode(BUSY_WIRE).byteLength,
      wire: BUSY_WIRE,
      warnings: 0,
      issues: [],
      reason: 'Busy Here',
      final: true,
    });
  });

  it('builds a 405 with Allow, and refuses one without it', () => {
    expect(result['notAllowed']).toEqual({ wire: NOT_ALLOWED_WIRE, issues: [] });
    expect(result['buildError']).toEqual({
      isBuildError: true,
      branded: true,
      code: 'MISSING_REQUIRED_HEADER',
      header: 'Allow',
    });
    expect(result['parseError']).toEqual({
      isParseError: true,
      code: 'INVALID_STATUS_CODE',
      offset: 8,
    });
  });

  it('computes Digest responses (RFC 7616 §3.9.1) and round-trips SHA-512-256 with auth-int', () => {
    expect(result['digest']).toEqual({
      sha256: '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1',
      md5: '8ca523f5e9506fed4657c9700eebdbec',
      chosen: 'SHA-512-256',
      verdict: 'ok',
    });
  });

  it('builds and parses a multipart body with a binary part', () => {
    expect(result['multipart']).toEqual([
      [0x76, 0x3d, 0x30, 0x0d, 0x0a],
      [0x0d, 0x0a, 0x2d, 0xff],
    ]);
  });
});
