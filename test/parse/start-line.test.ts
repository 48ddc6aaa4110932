import { describe, expect, it } from 'vitest';
import { type ParsedRequest, type ParsedResponse, parseMessage } from '../../src/parse/index.js';
import { bytes, latin1 } from '../helpers/bytes.js';
import { errorAt, runStream } from './support.js';

/** Parses a start line alone (an empty header section follows) as a datagram. */
function parseLine(line: string | Uint8Array): ReturnType<typeof parseMessage> {
  if (typeof line === 'string') return parseMessage(`${line}\r\n\r\n`);
  const input = new Uint8Array(line.length + 4);
  input.set(line);
  input.set([13, 10, 13, 10], line.length);
  return parseMessage(input);
}

function request(line: string): ParsedRequest {
  const message = parseLine(line);
  if (message.type !== 'request') throw new Error(`expected a request from ${line}`);
  return message;
}

function response(line: string | Uint8Array): ParsedResponse {
  const message = parseLine(line);
  if (message.type !== 'response') throw new Error('expected a response');
  return message;
}

describe('parseStartLine: Request-Line', () => {
  it('reads method, Request-URI and version', () => {
    const message = request('INVITE sip:bob@biloxi.example.com;transport=tcp SIP/2.0');
    expect([message.type, message.method, message.uri, message.version]).toEqual([
      'request',
      'INVITE',
      'sip:bob@biloxi.example.com;transport=tcp',
      'SIP/2.0',
    ]);
  });

  it('keeps the method case-sensitive and takes any token as a method (RFC 3261 §7.1)', () => {
    expect(request('invite sip:a@b SIP/2.0').method).toBe('invite');
    expect(request("!interesting-Method0123456789_*+`.%indeed'~ sip:a@b SIP/2.0").method).toBe(
      "!interesting-Method0123456789_*+`.%indeed'~",
    );
  });

  it('takes an absolute URI of any scheme', () => {
    expect(request('OPTIONS soap.beep://192.0.2.103:3002 SIP/2.0').uri).toBe(
      'soap.beep://192.0.2.103:3002',
    );
    expect(request('OPTIONS tel:+1-201-555-0123 SIP/2.0').uri).toBe('tel:+1-201-555-0123');
  });

  it('reports a version other than SIP/2.0 instead of failing, so a server can answer 505', () => {
    expect(request('OPTIONS sip:a@b SIP/7.0').version).toBe('SIP/7.0');
    expect(request('OPTIONS sip:a@b SIP/20.10').version).toBe('SIP/20.10');
    // RFC 3261 §7.1: the SIP-Version string is case-insensitive
    expect(request('OPTIONS sip:a@b sip/2.0').version).toBe('sip/2.0');
  });

  it.each([
    // [line, code@offset]
    ['INVITE', 'INVALID_START_LINE@6'],
    ['INVITE ', 'INVALID_START_LINE@7'],
    // RFC 4475 §3.1.2.9 lwsstart: the extra SP where the Request-URI should start
    ['INVITE  sip:a@b SIP/2.0', 'INVALID_START_LINE@7'],
    // no SIP-Version: where the SP before it should be
    ['INVITE sip:a@b', 'INVALID_START_LINE@14'],
    // RFC 4475 §3.1.2.10 trws: the first trailing SP
    ['INVITE sip:a@b SIP/2.0 ', 'INVALID_START_LINE@22'],
    ['INVITE sip:a@b SIP/2.0  ', 'INVALID_START_LINE@22'],
    // SP doubled (or tripled) before the version: the second SP
    ['INVITE sip:a@b  SIP/2.0', 'INVALID_START_LINE@15'],
    ['INVITE sip:a@b   SIP/2.0', 'INVALID_START_LINE@15'],
    ['INV@TE sip:a@b SIP/2.0', 'INVALID_METHOD@3'],
    ['INVITE\tsip:a@b SIP/2.0', 'INVALID_METHOD@6'],
    [' INVITE sip:a@b SIP/2.0', 'INVALID_METHOD@0'],
    // RFC 4475 §3.1.2.7 ltgtruri: "<" is not a URI character
    ['INVITE <sip:a@b> SIP/2.0', 'INVALID_REQUEST_URI@7'],
    // RFC 4475 §3.1.2.8 lwsruri: an SP inside the Request-URI
    ['INVITE sip:a @b SIP/2.0', 'INVALID_REQUEST_URI@12'],
    // no scheme: "@" where ":" should end it
    ['INVITE bob@example.com SIP/2.0', 'INVALID_REQUEST_URI@10'],
    // a scheme and nothing after the ":": the SP that follows
    ['INVITE sip: SIP/2.0', 'INVALID_REQUEST_URI@11'],
    ['INVITE 1sip:a SIP/2.0', 'INVALID_REQUEST_URI@7'],
    ['INVITE sip:a"b SIP/2.0', 'INVALID_REQUEST_URI@12'],
    ['INVITE sip:a@b HTTP/1.1', 'INVALID_VERSION@15'],
    ['INVITE sip:a@b SIP/2', 'INVALID_VERSION@20'],
    ['INVITE sip:a@b SIP/.0', 'INVALID_VERSION@19'],
    ['INVITE sip:a@b SIP/2.', 'INVALID_VERSION@21'],
    ['INVITE sip:a@b SIP/2.0x', 'INVALID_VERSION@22'],
  ])('rejects %j with %s', (line, expected) => {
    expect(errorAt(() => parseLine(line))).toBe(expected);
  });

  it('lets "#" through on the Request-Line, for the requestUri accessor to refuse', () => {
    const message = request('INVITE sip:*72#@example.com SIP/2.0');
    expect(message.uri).toBe('sip:*72#@example.com');
    expect(errorAt(() => message.requestUri)).toBe('INVALID_URI@14');
  });

  it('rejects a non-ASCII byte in the Request-URI at that byte', () => {
    expect(errorAt(() => parseLine(latin1('INVITE sip:a\x80@b SIP/2.0')))).toBe(
      'INVALID_REQUEST_URI@12',
    );
  });
});

describe('parseStartLine: Status-Line', () => {
  it('reads version, status code and Reason-Phrase', () => {
    const message = response('SIP/2.0 180 Ringing');
    expect([message.type, message.version, message.status, message.reason]).toEqual([
      'response',
      'SIP/2.0',
      180,
      'Ringing',
    ]);
  });

  it('takes an empty Reason-Phrase after the mandatory SP (RFC 4475 §3.1.1.13)', () => {
    expect(response('SIP/2.0 100 ').reason).toBe('');
  });

  it('keeps SP, HTAB, digits and raw UTF-8 in the Reason-Phrase', () => {
    expect(response('SIP/2.0 200  = 2**3 \t ok').reason).toBe(' = 2**3 \t ok');
    expect(response(bytes`SIP/2.0 200 но сто`).reason).toBe('но сто');
    // escapes are kept as written
    expect(response('SIP/2.0 404 Not%20Found').reason).toBe('Not%20Found');
  });

  it('accepts status codes 100 to 699 and reports other versions', () => {
    expect(response('SIP/2.0 100 x').status).toBe(100);
    expect(response('SIP/2.0 699 x').status).toBe(699);
    expect(response('SIP/3.0 200 OK').version).toBe('SIP/3.0');
    expect(response('sip/2.0 200 OK').version).toBe('sip/2.0');
  });

  it.each([
    // RFC 3261 §7.2: exactly three digits; §21: classes 1xx to 6xx only
    ['SIP/2.0 099 x', 'INVALID_STATUS_CODE@8'],
    ['SIP/2.0 000 x', 'INVALID_STATUS_CODE@8'],
    ['SIP/2.0 700 x', 'INVALID_STATUS_CODE@8'],
    ['SIP/2.0 999 x', 'INVALID_STATUS_CODE@8'],
    ['SIP/2.0 20 OK', 'INVALID_STATUS_CODE@8'],
    ['SIP/2.0 2000 OK', 'INVALID_STATUS_CODE@8'],
    // RFC 4475 §3.1.2.19 bigcode
    ['SIP/2.0 4294967301 better not break the receiver', 'INVALID_STATUS_CODE@8'],
    ['SIP/2.0 2x0 OK', 'INVALID_STATUS_CODE@8'],
    ['SIP/2.0  200 OK', 'INVALID_STATUS_CODE@8'],
    ['SIP/2.0 ', 'INVALID_STATUS_CODE@8'],
    ['SIP/2.0', 'INVALID_START_LINE@7'],
    ['SIP/2.0 200', 'INVALID_START_LINE@11'],
    ['SIP/2.0 200OK', 'INVALID_START_LINE@11'],
    ['SIP/2.0x 200 OK', 'INVALID_VERSION@7'],
    ['SIP/ 200 OK', 'INVALID_VERSION@4'],
    ['SIP/2.0\t200 OK', 'INVALID_START_LINE@7'],
    ['SIP/2.0 200 O\x01K', 'INVALID_REASON_PHRASE@13'],
    ['SIP/2.0 200 OK\x7f', 'INVALID_REASON_PHRASE@14'],
    ['SIP/2.0 200 \x00', 'INVALID_REASON_PHRASE@12'],
  ])('rejects %j with %s', (line, expected) => {
    expect(errorAt(() => parseLine(line))).toBe(expected);
  });
});

describe('start-line errors in a stream', () => {
  it('count offsets from the start of the stream, not of the message', () => {
    const first = 'OPTIONS sip:a@b SIP/2.0\r\nl: 0\r\n\r\n';
    const run = runStream([bytes`${first}SIP/2.0 2x0 OK\r\n`]);
    expect(run.messages.map((message) => message.offset)).toEqual([0]);
    expect([run.error?.code, run.error?.offset]).toEqual(['INVALID_STATUS_CODE', first.length + 8]);
  });

  it('are decided only when the line is complete, so a partial line waits', () => {
    const run = runStream([bytes`INV@TE sip:a@b SIP/2.0`], {}, false);
    expect(run.error).toBeUndefined();
  });
});
