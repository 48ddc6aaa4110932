import { describe, expect, it } from 'vitest';
import { createParser, SipStreamParser } from '../../src/parse/index.js';
import { bytes, chunk, concatBytes } from '../helpers/bytes.js';
import { catchParseError, eventLine, runStream } from './support.js';

/** 25 + 6 + 2 = 33 bytes. */
const OPTIONS = 'OPTIONS sip:a@b SIP/2.0\r\nl: 0\r\n\r\n';
/** 16 + 6 + 2 + 5 = 29 bytes, with a 5-byte body. */
const RESPONSE = 'SIP/2.0 200 OK\r\nl: 5\r\n\r\nhello';

function log(chunks: readonly string[], options = {}): string[] {
  return runStream(
    chunks.map((text) => bytes`${text}`),
    options,
  ).events.map(eventLine);
}

describe('createParser', () => {
  it('returns a SipStreamParser', () => {
    expect(createParser()).toBeInstanceOf(SipStreamParser);
  });
});

describe('SipStreamParser.push', () => {
  it('returns each message once its last byte has arrived', () => {
    const parser = createParser();
    expect(parser.push(bytes`OPTIONS sip:a@b SIP/2.0\r\nl: 0\r\n`)).toEqual([]);
    expect(parser.push(new Uint8Array(0))).toEqual([]);
    const [message, ...rest] = parser.push(bytes`\r\n`);
    expect(rest).toEqual([]);
    expect(message?.type === 'request' && message.method).toBe('OPTIONS');
  });

  it('returns every message a chunk completes, in order, with absolute offsets', () => {
    expect(log([OPTIONS + RESPONSE + OPTIONS])).toEqual([
      'off=0 request method=OPTIONS uri=sip:a@b version=SIP/2.0 headers=1 body=0',
      'off=33 response status=200 reason="OK" version=SIP/2.0 headers=1 body=5',
      'off=62 request method=OPTIONS uri=sip:a@b version=SIP/2.0 headers=1 body=0',
    ]);
  });

  it('frames the body by Content-Length: CRLFs and a start line inside it are body bytes', () => {
    const body = 'a\r\n\r\nSIP/2.0 200 OK\r\n';
    const run = runStream([
      bytes`SIP/2.0 200 OK\r\nContent-Length: ${body.length}\r\n\r\n${body}${OPTIONS}`,
    ]);
    expect(run.messages.map((message) => new TextDecoder().decode(message.body))).toEqual([
      body,
      '',
    ]);
    expect(run.messages[1]?.offset).toBe(16 + 20 + 2 + body.length);
  });

  it('reports a version other than SIP/2.0 instead of failing', () => {
    const run = runStream([bytes`OPTIONS sip:a@b SIP/3.0\r\nl: 0\r\n\r\n`]);
    expect(run.messages[0]?.version).toBe('SIP/3.0');
  });

  it('copies what it keeps: the caller may reuse its buffer', () => {
    const parser = createParser();
    const buffer = bytes`${RESPONSE}`;
    expect(parser.push(buffer.subarray(0, 26))).toEqual([]);
    buffer.fill(0x58, 0, 26);
    const [message] = parser.push(buffer.subarray(26));
    buffer.fill(0x58);
    expect(message?.type === 'response' && message.reason).toBe('OK');
    expect(new TextDecoder().decode(message?.body)).toBe('hello');
    expect(message?.raw.buffer).not.toBe(buffer.buffer);
  });

  it('keeps nothing between messages', () => {
    const parser = createParser();
    parser.push(bytes`${OPTIONS}OPTIONS sip:a@b`);
    expect(parser.bufferedBytes).toBe(15);
    parser.push(bytes` SIP/2.0\r\nl: 0\r\n\r\n`);
    expect(parser.bufferedBytes).toBe(0);
  });
});

describe('keep-alives and blank lines between messages', () => {
  it('skips CRLFs before the first start line (RFC 3261 §7.5) and reports them', () => {
    expect(log([`\r\n\r\n\r\n${OPTIONS}`])).toEqual([
      'off=0 keepalive pong',
      'off=2 keepalive ping',
      'off=4 keepalive pong',
      'off=6 request method=OPTIONS uri=sip:a@b version=SIP/2.0 headers=1 body=0',
    ]);
  });

  it('reports the 1st, 3rd … CRLF after a message as pong and the 2nd, 4th … as ping (RFC 5626 §3.5.1)', () => {
    expect(log([`${OPTIONS}\r\n\r\n\r\n\r\n${OPTIONS}\r\n`])).toEqual([
      'off=0 request method=OPTIONS uri=sip:a@b version=SIP/2.0 headers=1 body=0',
      'off=33 keepalive pong',
      'off=35 keepalive ping',
      'off=37 keepalive pong',
      'off=39 keepalive ping',
      'off=41 request method=OPTIONS uri=sip:a@b version=SIP/2.0 headers=1 body=0',
      'off=74 keepalive pong',
    ]);
  });

  it('gives the same reports whatever the chunking, a CR at a chunk end waiting for its LF', () => {
    const whole = log([`${OPTIONS}\r\n\r\n${OPTIONS}`]);
    const text = `${OPTIONS}\r\n\r\n${OPTIONS}`;
    expect(log([text.slice(0, 34), text.slice(34, 36), text.slice(36)])).toEqual(whole);
    expect(log([...text])).toEqual(whole);
  });

  it('is silent without a listener', () => {
    const parser = createParser();
    expect(parser.push(bytes`\r\n\r\n`)).toEqual([]);
    expect(() => parser.end()).not.toThrow();
  });

  it('rejects a bare LF between messages at the LF unless allowBareLf, which reports it', () => {
    expect(log([`${OPTIONS}\n`])).toEqual([
      'off=0 request method=OPTIONS uri=sip:a@b version=SIP/2.0 headers=1 body=0',
      'off=33 error code=INVALID_LINE_ENDING',
    ]);
    expect(log([`\n\r\n\n${OPTIONS}`], { allowBareLf: true })).toEqual([
      'off=0 keepalive pong',
      'off=1 keepalive ping',
      'off=3 keepalive pong',
      'off=4 request method=OPTIONS uri=sip:a@b version=SIP/2.0 headers=1 body=0',
    ]);
  });

  it('rejects a CR followed by anything but LF between messages, at the CR', () => {
    for (const chunks of [[`${OPTIONS}\rO`], [`${OPTIONS}\r`, 'O']]) {
      expect(log(chunks).at(-1)).toBe('off=33 error code=INVALID_LINE_ENDING');
    }
  });
});

describe('framing errors', () => {
  it('requires Content-Length on a stream (RFC 3261 §18.3): MISSING_CONTENT_LENGTH at the message', () => {
    expect(log([`${OPTIONS}SIP/2.0 200 OK\r\nVia: SIP/2.0/TCP h\r\n\r\n`]).at(-1)).toBe(
      'off=33 error code=MISSING_CONTENT_LENGTH',
    );
    expect(log([`\r\nOPTIONS sip:a@b SIP/2.0\r\n\r\n`]).at(-1)).toBe(
      'off=2 error code=MISSING_CONTENT_LENGTH',
    );
  });

  it('rejects disagreeing Content-Length values: the framing is undefined (RFC 4475 §3.3.9)', () => {
    // "l: 13" value at 25 + 6 + 3
    expect(log(['OPTIONS sip:a@b SIP/2.0\r\nl: 5\r\nl: 13\r\n\r\nhello']).at(-1)).toBe(
      'off=34 error code=CONFLICTING_CONTENT_LENGTH',
    );
  });

  it('rejects a Content-Length that is not 1*DIGIT (RFC 4475 §3.1.2.3 ncl)', () => {
    expect(log(['OPTIONS sip:a@b SIP/2.0\r\nContent-Length: -999\r\n\r\n']).at(-1)).toBe(
      'off=41 error code=INVALID_CONTENT_LENGTH',
    );
  });
});

describe('SipStreamParser.end', () => {
  it('accepts the end between messages, after keep-alives too', () => {
    expect(log([OPTIONS, '\r\n\r\n']).at(-1)).toBe('off=35 keepalive ping');
  });

  it('fails with INCOMPLETE_MESSAGE at the end of the stream inside a header section', () => {
    expect(log([OPTIONS, 'OPTIONS sip:a@b SIP/2.0\r\nl: 0\r\n']).at(-1)).toBe(
      'off=64 error code=INCOMPLETE_MESSAGE',
    );
  });

  it('fails with INCOMPLETE_MESSAGE inside a body', () => {
    expect(log([RESPONSE.slice(0, -1)]).at(-1)).toBe('off=28 error code=INCOMPLETE_MESSAGE');
  });

  it('fails with INCOMPLETE_MESSAGE after a lone CR', () => {
    expect(log([OPTIONS, '\r']).at(-1)).toBe('off=34 error code=INCOMPLETE_MESSAGE');
  });

  it('has a message that says where the unfinished message starts', () => {
    const parser = createParser();
    parser.push(bytes`${OPTIONS}OPTIONS`);
    expect(catchParseError(() => parser.end()).message).toBe(
      'Incomplete message at byte 40: the stream ended inside the message that starts at byte 33',
    );
  });
});

describe('sticky failure and reset', () => {
  it('rethrows the same error on every push and end until reset()', () => {
    const parser = createParser();
    const error = catchParseError(() => parser.push(bytes`BAD LINE\r\n`));
    expect([error.code, error.offset]).toEqual(['INVALID_START_LINE', 8]);
    expect(catchParseError(() => parser.push(bytes`${OPTIONS}`))).toBe(error);
    expect(catchParseError(() => parser.push(new Uint8Array(0)))).toBe(error);
    expect(catchParseError(() => parser.end())).toBe(error);
  });

  it('returns the messages a chunk completed before failing, then throws on the next call', () => {
    const parser = createParser();
    const messages = parser.push(bytes`${OPTIONS}${OPTIONS}\r\x00`);
    expect(messages.map((message) => message.offset)).toEqual([0, 33]);
    const error = catchParseError(() => parser.push(bytes`${OPTIONS}`));
    expect([error.code, error.offset]).toEqual(['INVALID_LINE_ENDING', 66]);
    expect(catchParseError(() => parser.end())).toBe(error);
  });

  it('makes INCOMPLETE_MESSAGE sticky too', () => {
    const parser = createParser();
    parser.push(bytes`OPTIONS`);
    const error = catchParseError(() => parser.end());
    expect(catchParseError(() => parser.push(bytes`${OPTIONS}`))).toBe(error);
  });

  it('reset() forgets the failure and a half-received message; offsets start again at 0', () => {
    const parser = createParser();
    expect(parser.push(bytes`${OPTIONS}BAD LINE\r\n`)).toHaveLength(1);
    expect(catchParseError(() => parser.end()).code).toBe('INVALID_START_LINE');
    parser.reset();
    expect(parser.push(bytes`${OPTIONS}`).map((message) => message.offset)).toEqual([0]);
    parser.push(bytes`OPTIONS sip:a@b SIP/2.0\r\n`);
    parser.reset();
    expect(parser.bufferedBytes).toBe(0);
    expect(
      parser.push(bytes`${RESPONSE}`).map((message) => [message.offset, message.type]),
    ).toEqual([[0, 'response']]);
    expect(() => parser.end()).not.toThrow();
  });

  it('keeps the options across reset()', () => {
    const reports: string[] = [];
    const parser = createParser({
      allowBareLf: true,
      onKeepAlive: (kind, offset) => reports.push(`${kind}@${offset}`),
    });
    parser.push(bytes`\n`);
    parser.reset();
    parser.push(bytes`\n\n`);
    expect(reports).toEqual(['pong@0', 'pong@0', 'ping@1']);
  });
});

describe('SipStreamParser.steps', () => {
  it('counts each byte scanned once, whatever the chunking', () => {
    const input = bytes`\r\n${OPTIONS}${RESPONSE}`;
    const whole = createParser();
    whole.push(input);
    const bytewise = createParser();
    for (const piece of chunk(input, 1)) bytewise.push(piece);
    expect(whole.steps).toBe(input.length);
    expect(bytewise.steps).toBe(input.length);
  });

  it('starts again at 0 after reset()', () => {
    const parser = createParser();
    parser.push(bytes`${OPTIONS}`);
    parser.reset();
    expect(parser.steps).toBe(0);
    parser.push(concatBytes(bytes`\r\n`));
    expect(parser.steps).toBe(2);
  });
});
