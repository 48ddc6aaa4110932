import { describe, expect, it } from 'vitest';
import { parseDatagram } from '../../src/parse/index.js';
import { bytes } from '../helpers/bytes.js';
import { errorAt, eventLine, runStream } from './support.js';

describe('allowBareLf', () => {
  const lf = 'OPTIONS sip:a@b SIP/2.0\nSubject: a\n b\nl: 2\n\nhi';

  it('is off by default: a bare LF is an INVALID_LINE_ENDING at the LF', () => {
    expect(errorAt(() => parseDatagram(bytes`${lf}`))).toBe('INVALID_LINE_ENDING@23');
    expect(runStream([bytes`${lf}`]).error?.offset).toBe(23);
  });

  it('accepts LF line endings in the start line, header fields, folds and the empty line', () => {
    const message = parseDatagram(bytes`${lf}`, { allowBareLf: true });
    expect(message.headers).toEqual([
      { name: 'Subject', value: 'a b' },
      { name: 'Content-Length', value: '2' },
    ]);
    expect(new TextDecoder().decode(message.body)).toBe('hi');
    const run = runStream([bytes`${lf}`], { allowBareLf: true });
    expect(run.events.map(eventLine)).toEqual([
      'off=0 request method=OPTIONS uri=sip:a@b version=SIP/2.0 headers=2 body=2',
    ]);
  });

  it('accepts CRLF and LF mixed, and LF keep-alives between messages', () => {
    const mixed = 'OPTIONS sip:a@b SIP/2.0\r\nl: 0\n\r\n\n\r\n';
    expect(runStream([bytes`${mixed}`], { allowBareLf: true }).events.map(eventLine)).toEqual([
      'off=0 request method=OPTIONS uri=sip:a@b version=SIP/2.0 headers=1 body=0',
      'off=32 keepalive pong',
      'off=33 keepalive ping',
    ]);
  });

  it('still rejects a bare CR', () => {
    expect(
      errorAt(() => parseDatagram(bytes`OPTIONS sip:a@b SIP/2.0\rl: 0\n\n`, { allowBareLf: true })),
    ).toBe('INVALID_LINE_ENDING@23');
    expect(runStream([bytes`\r \n`], { allowBareLf: true }).error?.offset).toBe(0);
  });
});

describe('allowUnterminatedHeaders', () => {
  const unterminated = 'OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h\r\nl: 0\r\n';

  it('is off by default: a datagram without the empty line is INCOMPLETE_MESSAGE at its end', () => {
    expect(errorAt(() => parseDatagram(bytes`${unterminated}`))).toBe('INCOMPLETE_MESSAGE@51');
  });

  it('accepts a datagram that ends right after a complete header line, with no body', () => {
    const message = parseDatagram(bytes`${unterminated}`, { allowUnterminatedHeaders: true });
    expect(message.headers.map((header) => header.name)).toEqual(['Via', 'Content-Length']);
    expect(message.body.length).toBe(0);
    expect(message.raw.length).toBe(51);
    const startOnly = parseDatagram(bytes`OPTIONS sip:a@b SIP/2.0\r\n`, {
      allowUnterminatedHeaders: true,
    });
    expect(startOnly.headers).toEqual([]);
  });

  it('still rejects a datagram cut inside a line', () => {
    expect(
      errorAt(() =>
        parseDatagram(bytes`${unterminated}X-A: b`, { allowUnterminatedHeaders: true }),
      ),
    ).toBe('INCOMPLETE_MESSAGE@57');
    expect(
      errorAt(() =>
        parseDatagram(bytes`OPTIONS sip:a@b SIP/2.0`, { allowUnterminatedHeaders: true }),
      ),
    ).toBe('INCOMPLETE_MESSAGE@23');
  });

  it('holds a Content-Length larger than nothing to the datagram rule', () => {
    expect(
      errorAt(() =>
        parseDatagram(bytes`OPTIONS sip:a@b SIP/2.0\r\nl: 1\r\n`, {
          allowUnterminatedHeaders: true,
        }),
      ),
    ).toBe('CONTENT_LENGTH_EXCEEDS_DATAGRAM@28');
  });

  it('lets a header section of exactly maxHeaderSectionBytes through, since no empty line follows', () => {
    const limits = { maxHeaderSectionBytes: 51 };
    expect(
      parseDatagram(bytes`${unterminated}`, { allowUnterminatedHeaders: true, limits }).headers,
    ).toHaveLength(2);
    expect(
      errorAt(() =>
        parseDatagram(bytes`${unterminated}`, {
          allowUnterminatedHeaders: true,
          limits: { maxHeaderSectionBytes: 50 },
        }),
      ),
    ).toBe('HEADER_SECTION_TOO_LARGE@0');
  });

  it('works with allowBareLf for LF-only files (RFC 5118 §4.10 archive members)', () => {
    const message = parseDatagram(bytes`OPTIONS sip:a@b SIP/2.0\nl: 0\n`, {
      allowBareLf: true,
      allowUnterminatedHeaders: true,
    });
    expect(message.headers).toEqual([{ name: 'Content-Length', value: '0' }]);
  });
});
