import { describe, expect, it } from 'vitest';
import { HEADER_DEFINITIONS } from '../../src/message/header-names.js';
import { isHeaderName, lookupHeaderId } from '../../src/parse/header-line.js';
import { parseMessage } from '../../src/parse/index.js';
import { bytes, showBytes } from '../helpers/bytes.js';
import { errorAt } from './support.js';

/** "OPTIONS sip:a@b SIP/2.0" CRLF is 25 bytes: the first header field starts at 25. */
const START = 'OPTIONS sip:a@b SIP/2.0\r\n';

function withHeaders(...lines: string[]): ReturnType<typeof parseMessage> {
  return parseMessage(`${START}${lines.map((line) => `${line}\r\n`).join('')}\r\n`);
}

function pairs(message: ReturnType<typeof parseMessage>): string[][] {
  return message.headers.map((header) => [header.name, header.value]);
}

describe('parseFieldLine', () => {
  it('splits name and value at HCOLON, with whitespace on either side (RFC 3261 §7.3.1)', () => {
    const message = withHeaders(
      'Subject:a',
      'Subject : b ',
      'Subject\t:\tc\t',
      'Subject   :   d  e  ',
    );
    expect(pairs(message)).toEqual([
      ['Subject', 'a'],
      ['Subject', 'b'],
      ['Subject', 'c'],
      ['Subject', 'd  e'],
    ]);
  });

  it('keeps an empty value', () => {
    expect(pairs(withHeaders('Subject:', 'Subject:   '))).toEqual([
      ['Subject', ''],
      ['Subject', ''],
    ]);
  });

  it('maps every compact form of RFC 3261 §7.3.3 and its extensions to the canonical name', () => {
    const compact: Record<string, string> = {
      a: 'Accept-Contact',
      b: 'Referred-By',
      c: 'Content-Type',
      d: 'Request-Disposition',
      e: 'Content-Encoding',
      f: 'From',
      i: 'Call-ID',
      j: 'Reject-Contact',
      k: 'Supported',
      l: 'Content-Length',
      m: 'Contact',
      o: 'Event',
      r: 'Refer-To',
      s: 'Subject',
      t: 'To',
      u: 'Allow-Events',
      v: 'Via',
      x: 'Session-Expires',
      y: 'Identity',
    };
    const letters = Object.keys(compact);
    const message = withHeaders(...letters.map((letter) => `${letter}: 0`));
    expect(message.headers.map((header) => header.name)).toEqual(Object.values(compact));
    // upper-case compact forms are the same headers
    const upper = withHeaders(...letters.map((letter) => `${letter.toUpperCase()}: 0`));
    expect(upper.headers.map((header) => header.name)).toEqual(Object.values(compact));
  });

  it('matches long names case-insensitively', () => {
    const message = withHeaders(
      'VIA: a',
      'call-id: b',
      'cSeQ: 1 OPTIONS',
      'WWW-AUTHENTICATE: d',
      'max-FORWARDS: 70',
    );
    expect(message.headers.map((header) => header.name)).toEqual([
      'Via',
      'Call-ID',
      'CSeq',
      'WWW-Authenticate',
      'Max-Forwards',
    ]);
  });

  it('finds every name of the header table in any case', () => {
    for (const definition of HEADER_DEFINITIONS) {
      const odd = [...definition.name]
        .map((char, index) => (index % 2 === 0 ? char.toUpperCase() : char.toLowerCase()))
        .join('');
      expect(withHeaders(`${odd}: 0`).headers[0]?.name).toBe(definition.name);
      expect(withHeaders(`${definition.name.toLowerCase()}: 0`).headers[0]?.name).toBe(
        definition.name,
      );
    }
  });

  it('keeps unknown headers in order with their name as received, and near-misses unknown', () => {
    const message = withHeaders(
      'X-Custom: 1',
      'Via: SIP/2.0/UDP h',
      "NewFangled-!.%*+_`'~Header: 2",
      'Vias: 3',
      'vv: 4',
      'Content_Length: 5',
      'x-custom: 6',
    );
    expect(pairs(message)).toEqual([
      ['X-Custom', '1'],
      ['Via', 'SIP/2.0/UDP h'],
      ["NewFangled-!.%*+_`'~Header", '2'],
      ['Vias', '3'],
      ['vv', '4'],
      ['Content_Length', '5'],
      ['x-custom', '6'],
    ]);
  });

  it('keeps every field byte-exact, reachable through rawHeader and headerOffset', () => {
    const message = withHeaders('x-Odd :  Value\t', 'v : SIP/2.0/UDP h');
    expect(showBytes(message.rawHeader(0) ?? new Uint8Array())).toBe('x-Odd :  Value\\x09');
    expect(showBytes(message.rawHeader(1) ?? new Uint8Array())).toBe('v : SIP/2.0/UDP h');
    expect([message.headerOffset(0), message.headerOffset(1)]).toEqual([25, 42]);
    expect([message.rawHeader(2), message.headerOffset(2)]).toEqual([undefined, undefined]);
    expect([message.rawHeader(-1), message.rawHeader(0.5)]).toEqual([undefined, undefined]);
  });

  it.each([
    // [line, code@offset]; the field starts at 25
    ['Via@: x', 'INVALID_HEADER_NAME@28'],
    [': x', 'INVALID_HEADER_NAME@25'],
    ['@Via: x', 'INVALID_HEADER_NAME@25'],
    ['Vía: x', 'INVALID_HEADER_NAME@26'],
    ['Via"x": x', 'INVALID_HEADER_NAME@28'],
    ['Via', 'INVALID_HEADER_LINE@28'],
    ['Via x', 'INVALID_HEADER_LINE@29'],
    ['Max Forwards: 70', 'INVALID_HEADER_LINE@29'],
  ])('rejects %j with %s', (line, expected) => {
    expect(errorAt(() => withHeaders(line))).toBe(expected);
  });

  it('keeps a second colon as part of the value', () => {
    expect(pairs(withHeaders('Via : : x', 'X-Time: 12:30'))).toEqual([
      ['Via', ': x'],
      ['X-Time', '12:30'],
    ]);
  });

  it('counts fields against limits.maxHeaderCount at the first field too many', () => {
    const text = `${START}a: 1\r\nb: 2\r\nc: 3\r\n\r\n`;
    expect(parseMessage(text, { limits: { maxHeaderCount: 3 } }).headers).toHaveLength(3);
    // the third field starts at 25 + 6 + 6
    expect(errorAt(() => parseMessage(text, { limits: { maxHeaderCount: 2 } }))).toBe(
      'TOO_MANY_HEADERS@37',
    );
    expect(errorAt(() => parseMessage(text, { limits: { maxHeaderCount: 0 } }))).toBe(
      'TOO_MANY_HEADERS@25',
    );
  });
});

describe('continueField', () => {
  it('unfolds continuation lines: each fold becomes one SP (RFC 3261 §7.3.1)', () => {
    const message = withHeaders(
      "Subject: I know you're there,",
      '      pick up the phone',
      '\tand talk to me!',
    );
    expect(pairs(message)).toEqual([
      ['Subject', "I know you're there, pick up the phone and talk to me!"],
    ]);
  });

  it('starts the value on the continuation line when the first line has none', () => {
    expect(
      pairs(withHeaders('To :', '  sip:vivekg@chair-dnrc.example.com ;   tag    = 1918181833n')),
    ).toEqual([['To', 'sip:vivekg@chair-dnrc.example.com ;   tag    = 1918181833n']]);
    expect(pairs(withHeaders('Subject:', ' ', ' x'))).toEqual([['Subject', 'x']]);
  });

  it('keeps a whitespace-only continuation out of the value', () => {
    expect(pairs(withHeaders('Subject: a', ' \t', 'Via: v'))).toEqual([
      ['Subject', 'a'],
      ['Via', 'v'],
    ]);
    expect(pairs(withHeaders('Subject:', '  '))).toEqual([['Subject', '']]);
  });

  it('keeps the folded bytes, CRLFs included, in rawHeader', () => {
    const message = withHeaders('Subject: a', ' b', 'Via: v');
    expect(showBytes(message.rawHeader(0) ?? new Uint8Array())).toBe('Subject: a\\x0d\\x0a b');
    expect(message.headerOffset(1)).toBe(25 + 16);
  });

  it('rejects a continuation line with no header field before it', () => {
    expect(errorAt(() => withHeaders(' x: y'))).toBe('INVALID_HEADER_LINE@25');
    expect(errorAt(() => withHeaders('\tx'))).toBe('INVALID_HEADER_LINE@25');
  });
});

describe('lookupHeaderId and isHeaderName', () => {
  const idOf = (name: string): number => {
    const input = bytes`${name}`;
    return lookupHeaderId(input, 0, input.length);
  };
  const is = (name: string, id: number): boolean => {
    const input = bytes`${name}`;
    return isHeaderName(input, 0, input.length, id);
  };

  it('map every long and compact name of the table, in any case, to its row', () => {
    HEADER_DEFINITIONS.forEach((definition, id) => {
      const names: string[] = [definition.name];
      if ('compact' in definition) names.push(definition.compact);
      for (const name of names) {
        for (const spelling of [name, name.toUpperCase(), name.toLowerCase()]) {
          expect(idOf(spelling), spelling).toBe(id);
          expect(is(spelling, id), spelling).toBe(true);
        }
      }
    });
  });

  it('know no near-miss: other lengths, other letters, "_" for "-"', () => {
    const via = idOf('Via');
    for (const name of [
      'Vias',
      'Vi',
      'Vja',
      'vv',
      'Content_Length',
      'Call-IDs',
      'X-Via',
      'Reply-Tx',
    ]) {
      expect(idOf(name), name).toBe(-1);
      expect(is(name, via), name).toBe(false);
    }
    expect(is('Refer-To', idOf('Reply-To'))).toBe(false);
  });

  it('are what the accessors use: a near-miss name is not the header', () => {
    const message = withHeaders(
      'Vias: SIP/2.0/UDP x;branch=1',
      'i: real',
      'Call-IDs: fake',
      'v: SIP/2.0/UDP h;branch=2',
    );
    expect([message.branch, message.callId]).toEqual(['2', 'real']);
  });
});
