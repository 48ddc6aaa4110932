import { describe, expect, it } from 'vitest';
import { parseDatagram, parseMessage } from '../../src/parse/index.js';
import { bytes, showBytes } from '../helpers/bytes.js';
import { errorAt } from './support.js';

/** 25 bytes of Request-Line. */
const START = 'OPTIONS sip:a@b SIP/2.0\r\n';

function text(input: Uint8Array): string {
  return new TextDecoder().decode(input);
}

describe('parseDatagram', () => {
  it('parses one message, with offsets counted from the start of the datagram', () => {
    const message = parseDatagram(bytes`${START}Via: SIP/2.0/UDP h\r\nl: 2\r\n\r\nhi`);
    expect([message.offset, message.headerOffset(0), message.headerOffset(1)]).toEqual([0, 25, 45]);
    expect(text(message.body)).toBe('hi');
    expect(message.raw.length).toBe(55);
  });

  it('frames the body by Content-Length and ignores the octets after it (RFC 4475 §3.1.1.8 dblreq)', () => {
    const trailing = 'INVITE sip:joe@example.com SIP/2.0\r\nl: 0\r\n\r\n';
    const message = parseDatagram(bytes`${START}l: 3\r\n\r\nabc${trailing}`);
    expect(text(message.body)).toBe('abc');
    expect(text(message.raw)).toBe(`${START}l: 3\r\n\r\nabc`);
  });

  it('takes the rest of the datagram as the body when there is no Content-Length (RFC 3261 §18.3)', () => {
    const message = parseDatagram(bytes`${START}Via: x\r\n\r\nv=0\r\n\r\n`);
    expect(text(message.body)).toBe('v=0\r\n\r\n');
    expect(message.contentLength).toBeUndefined();
  });

  it('takes the rest of the datagram when Content-Length values disagree, for the validator to flag', () => {
    const message = parseDatagram(bytes`${START}l: 2\r\nl: 3\r\n\r\nabcd`);
    expect(text(message.body)).toBe('abcd');
  });

  it('rejects a Content-Length larger than the datagram at its value (RFC 4475 §3.1.2.2 clerr)', () => {
    // "l: " value at 25 + 3
    expect(errorAt(() => parseDatagram(bytes`${START}l: 9999\r\n\r\nabc`))).toBe(
      'CONTENT_LENGTH_EXCEEDS_DATAGRAM@28',
    );
    expect(errorAt(() => parseDatagram(bytes`${START}Via: x\r\nContent-Length: 1\r\n\r\n`))).toBe(
      'CONTENT_LENGTH_EXCEEDS_DATAGRAM@49',
    );
  });

  it('rejects a Content-Length that is not a number, even though a datagram does not need one', () => {
    expect(errorAt(() => parseDatagram(bytes`${START}l: five\r\n\r\nfive!`))).toBe(
      'INVALID_CONTENT_LENGTH@28',
    );
  });

  it('skips CRLFs before the start line (RFC 3261 §7.5); offsets still count them', () => {
    const message = parseDatagram(bytes`\r\n\r\n${START}l: 0\r\n\r\n`);
    expect([message.offset, message.headerOffset(0)]).toEqual([4, 29]);
    expect(text(message.raw)).toBe(`${START}l: 0\r\n\r\n`);
  });

  it('rejects a bare CR or LF before the start line at that byte', () => {
    expect(errorAt(() => parseDatagram(bytes`\r\n\n${START}\r\n`))).toBe('INVALID_LINE_ENDING@2');
    expect(errorAt(() => parseDatagram(bytes`\r${START}\r\n`))).toBe('INVALID_LINE_ENDING@0');
    expect(errorAt(() => parseDatagram(bytes`\r\n\r`))).toBe('INVALID_LINE_ENDING@2');
  });

  it('fails with INCOMPLETE_MESSAGE at the end of a datagram that holds no message', () => {
    expect(errorAt(() => parseDatagram(new Uint8Array(0)))).toBe('INCOMPLETE_MESSAGE@0');
    expect(errorAt(() => parseDatagram(bytes`\r\n\r\n`))).toBe('INCOMPLETE_MESSAGE@4');
  });

  it('fails with INCOMPLETE_MESSAGE when the header section never closes (RFC 4475 §3.1.2.15 baddn)', () => {
    expect(errorAt(() => parseDatagram(bytes`${START}l: 0\r\n`))).toBe('INCOMPLETE_MESSAGE@31');
    expect(errorAt(() => parseDatagram(bytes`${START}l: 0`))).toBe('INCOMPLETE_MESSAGE@29');
    expect(errorAt(() => parseDatagram(bytes`OPTIONS sip:a@b`))).toBe('INCOMPLETE_MESSAGE@15');
  });

  it('copies the datagram: a Node Buffer reused by the caller does not change the message', () => {
    const buffer = Buffer.from(`${START}l: 2\r\n\r\nhi`);
    const message = parseDatagram(buffer);
    buffer.fill(0x58);
    expect(text(message.body)).toBe('hi');
    expect(message.type === 'request' && message.method).toBe('OPTIONS');
    expect(Buffer.isBuffer(message.raw)).toBe(false);
  });

  it('reads a message from the middle of a larger buffer through a view', () => {
    const backing = bytes`xxxx${START}l: 0\r\n\r\nyyyy`;
    const message = parseDatagram(backing.subarray(4, 4 + 33));
    expect([message.offset, showBytes(message.raw)]).toEqual([
      0,
      showBytes(bytes`${START}l: 0\r\n\r\n`),
    ]);
  });
});

describe('parseMessage', () => {
  it('encodes a string as UTF-8 and parses it with the datagram rules', () => {
    const message = parseMessage('SIP/2.0 200 Всё хорошо\r\nl: 4\r\n\r\néé');
    expect(message.type === 'response' && message.reason).toBe('Всё хорошо');
    expect(message.body.length).toBe(4);
  });

  it('takes bytes as they are', () => {
    const message = parseMessage(bytes`${START}\r\n`);
    expect(message.type === 'request' && message.uri).toBe('sip:a@b');
  });

  it('passes the options on', () => {
    expect(parseMessage('OPTIONS sip:a@b SIP/2.0\n\n', { allowBareLf: true }).headers).toEqual([]);
    expect(errorAt(() => parseMessage('OPTIONS sip:a@b SIP/2.0\n\n'))).toBe(
      'INVALID_LINE_ENDING@23',
    );
  });
});
