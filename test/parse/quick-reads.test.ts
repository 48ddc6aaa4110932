import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { type ParsedMessage, ParseError, parseMessage } from '../../src/parse/index.js';
import {
  NOT_PRESENT,
  nameAddrTagIndex,
  readCSeq,
  UNREADABLE,
  viaBranchIndex,
} from '../../src/parse/quick-reads.js';
import { bytes } from '../helpers/bytes.js';
import { readCorpus } from '../helpers/corpus.js';
import { sharedAvailable } from '../helpers/shared.js';
import { errorAt } from './support.js';

/** "OPTIONS sip:a@b SIP/2.0" CRLF is 25 bytes: the first header field starts at 25. */
const START = 'OPTIONS sip:a@b SIP/2.0\r\n';

function withHeaders(...lines: string[]): ParsedMessage {
  return parseMessage(`${START}${lines.map((line) => `${line}\r\n`).join('')}l: 0\r\n\r\n`);
}

/** A quick read over a whole string (as a field value range). */
function quick(read: (bytes: Uint8Array, start: number, end: number) => number, text: string) {
  const input = bytes`${text}`;
  const at = read(input, 0, input.length);
  if (at < 0) return at;
  return text.slice(at);
}

describe('viaBranchIndex', () => {
  it('finds the branch of the first via-parm, after any sent-protocol and sent-by', () => {
    expect(quick(viaBranchIndex, 'SIP/2.0/UDP h:5060;branch=z9hG4bK1;rport')).toBe(
      'z9hG4bK1;rport',
    );
    expect(quick(viaBranchIndex, 'SIP / 2.0 / TCP [2001:db8::1] ; BRANCH = z9 ; x')).toBe('z9 ; x');
    expect(quick(viaBranchIndex, 'SIP/2.0/UDP a;rport, SIP/2.0/UDP b;branch=z9')).toBe(NOT_PRESENT);
    expect(quick(viaBranchIndex, 'SIP/2.0/UDP a;branch=1, SIP/2.0/UDP b;branch=2')).toBe(
      '1, SIP/2.0/UDP b;branch=2',
    );
  });

  it('says NOT_PRESENT for a via-parm without parameters or without a branch', () => {
    expect(quick(viaBranchIndex, 'SIP/2.0/UDP h')).toBe(NOT_PRESENT);
    expect(quick(viaBranchIndex, 'SIP/2.0/UDP h, SIP/2.0/UDP g;branch=z9')).toBe(NOT_PRESENT);
    expect(quick(viaBranchIndex, 'SIP/2.0/UDP h;received=192.0.2.1;maddr=x')).toBe(NOT_PRESENT);
  });

  it('leaves to the full grammar an empty value, odd bytes, a quoted, missing or repeated branch', () => {
    for (const value of [
      '',
      ', SIP/2.0/UDP h;branch=z9',
      ';branch=z9',
      'SIP/2.0/UDP h(x);branch=z9',
      'SIP/2.0/UDP h;branch="z9"',
      'SIP/2.0/UDP h;branch',
      'SIP/2.0/UDP h;branch=',
      'SIP/2.0/UDP h;branch=a;branch=b',
      'SIP/2.0/UDP h;;branch=a',
      'SIP/2.0/UDP h;branch=a b',
    ]) {
      expect(quick(viaBranchIndex, value), value).toBe(UNREADABLE);
    }
  });

  it('skips quoted values of other parameters, commas and semicolons inside included', () => {
    expect(quick(viaBranchIndex, 'SIP/2.0/UDP h;x="a;b, c\\"";branch=z9')).toBe('z9');
  });

  it('treats the CRLF of a fold as whitespace', () => {
    expect(quick(viaBranchIndex, 'SIP/2.0/UDP\r\n h\r\n ;branch=z9')).toBe('z9');
  });
});

describe('nameAddrTagIndex', () => {
  it('finds the tag after a name-addr, whatever the display name holds', () => {
    expect(quick(nameAddrTagIndex, '<sip:a@b>;tag=x1')).toBe('x1');
    expect(quick(nameAddrTagIndex, '"A; <b>, \\"c" <sip:a@b;lr>;Tag=x2;q=1')).toBe('x2;q=1');
    expect(quick(nameAddrTagIndex, 'Bob Smith <sip:a@b>;tag=x3')).toBe('x3');
    expect(quick(nameAddrTagIndex, 'Bob<sip:a@b> ; tag = x4')).toBe('x4');
  });

  it('finds the tag after a bare addr-spec, whose URI ends at ";" or whitespace', () => {
    expect(quick(nameAddrTagIndex, 'sip:a@b;tag=x5')).toBe('x5');
    expect(quick(nameAddrTagIndex, 'sip:a@b ;tag=x6')).toBe('x6');
  });

  it('says NOT_PRESENT when there is no tag', () => {
    expect(quick(nameAddrTagIndex, '<sip:a@b;tag=uri-param>')).toBe(NOT_PRESENT);
    expect(quick(nameAddrTagIndex, 'sip:a@b;x=1')).toBe(NOT_PRESENT);
  });

  it('leaves odd forms to the full grammar', () => {
    for (const value of [
      '',
      '*',
      ';tag=x',
      '"unclosed <sip:a@b>;tag=x',
      '"A" sip:a@b;tag=x',
      '<sip:a@b;tag=x',
      'sip:a@b?h=v;tag=x',
      'sip:a,b;tag=x',
      '<sip:a@b>;tag="x"',
      '<sip:a@b>;tag',
      '<sip:a@b>;tag=x;TAG=y',
      '<sip:a@b> junk;tag=x',
    ]) {
      expect(quick(nameAddrTagIndex, value), value).toBe(UNREADABLE);
    }
  });
});

describe('readCSeq', () => {
  const read = (text: string) => {
    const input = bytes`${text}`;
    return readCSeq(input, 0, input.length);
  };

  it('reads the number and the method, leading zeros and any LWS between them', () => {
    expect(read('4711 INVITE')).toEqual({ seq: 4711, method: 'INVITE' });
    expect(read('0009\t\tACK')).toEqual({ seq: 9, method: 'ACK' });
    expect(read('1\r\n BYE')).toEqual({ seq: 1, method: 'BYE' });
    expect(read('2147483647 X-Y.z')).toEqual({ seq: 2147483647, method: 'X-Y.z' });
  });

  it('returns the same method string for the same bytes', () => {
    expect(read('1 REGISTER')?.method).toBe(read('2 REGISTER')?.method);
  });

  it('leaves everything else to parseCSeq', () => {
    for (const text of [
      '',
      'INVITE',
      '1',
      '1INVITE',
      '1 ',
      '2147483648 INVITE',
      '1 IN VITE',
      'x 1',
    ]) {
      expect(read(text), text).toBeUndefined();
    }
  });
});

describe('ParsedMessage.branch', () => {
  it('is the topmost Via branch, in any field form', () => {
    expect(withHeaders('v: SIP/2.0/UDP h;BRANCH=z9hG4bK1, SIP/2.0/UDP g;branch=2').branch).toBe(
      'z9hG4bK1',
    );
    expect(withHeaders('Via: SIP/2.0/UDP h', 'Via: SIP/2.0/UDP g;branch=2').branch).toBeUndefined();
    expect(withHeaders('Via:', 'Via: SIP/2.0/UDP g;branch=2').branch).toBe('2');
    expect(withHeaders('Subject: x').branch).toBeUndefined();
  });

  it('throws what topVia throws when the parameters cannot be read', () => {
    const quoted = withHeaders('Via: SIP/2.0/UDP h;branch="z9"');
    expect(errorAt(() => quoted.branch)).toBe(errorAt(() => quoted.topVia));
    expect(errorAt(() => quoted.branch)).toMatch(/^INVALID_VIA@/);
    const twice = withHeaders('Via: SIP/2.0/UDP h;branch=a;branch=b');
    expect(errorAt(() => twice.branch)).toBe(errorAt(() => twice.topVia));
    expect(errorAt(() => twice.branch)).toMatch(/^INVALID_PARAMETER@/);
    const colon = withHeaders('Via: SIP/2.0/UDP h;branch=a:b');
    expect(errorAt(() => colon.branch)).toMatch(/^INVALID_VIA@/);
  });

  it('does not check the sent-by: topVia does', () => {
    const message = withHeaders('Via: SIP/2.0/UDP bad..host;branch=z9');
    expect(message.branch).toBe('z9');
    expect(errorAt(() => message.topVia)).toMatch(/^INVALID_VIA@/);
  });
});

describe('ParsedMessage.topVia', () => {
  it('is via[0], parsed alone', () => {
    const message = withHeaders('Via: SIP/2.0/UDP h;branch=1, SIP/2.0/UDP bad..host');
    expect(message.topVia).toMatchObject({ transport: 'UDP', host: 'h', branch: '1' });
    expect(() => message.via).toThrow(ParseError);
    const both = withHeaders('Via: SIP/2.0/TCP h:5;branch=1', 'Via: SIP/2.0/UDP g');
    expect(both.topVia).toEqual(both.via[0]);
    expect(withHeaders().topVia).toBeUndefined();
  });
});

describe('ParsedMessage.toTag and fromTag', () => {
  it('are the tags of To and From', () => {
    const message = withHeaders('f: "A" <sip:a@b>;tag=1', 'To: sip:c@d;tag=2');
    expect([message.fromTag, message.toTag]).toEqual(['1', '2']);
    expect(withHeaders('To: <sip:c@d>').toTag).toBeUndefined();
    expect(withHeaders().toTag).toBeUndefined();
  });

  it('give undefined again when read again, and throw again when they threw', () => {
    const message = withHeaders('f: <sip:a@b>', 'To: <sip:c@d>');
    expect([message.toTag, message.toTag, message.fromTag, message.fromTag]).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    const broken = withHeaders('To: <sip:c@d>;tag');
    expect(errorAt(() => broken.toTag)).toBe(errorAt(() => broken.toTag));
  });

  it('read a quoted tag through the full grammar', () => {
    expect(withHeaders('To: <sip:c@d>;tag="q"').toTag).toBe('q');
  });

  it('throw what to and from throw when the parameters cannot be read', () => {
    const message = withHeaders('To: <sip:c@d>;tag');
    expect(errorAt(() => message.toTag)).toBe(errorAt(() => message.to));
    expect(errorAt(() => message.toTag)).toMatch(/^INVALID_PARAMETER@/);
  });

  it('do not check the URI: to and from do', () => {
    const message = withHeaders('To: <bad uri>;tag=x');
    expect(message.toTag).toBe('x');
    expect(errorAt(() => message.to)).toMatch(/^INVALID_URI@/);
  });
});

/** What a read gives: its value, or the error code and offset. */
function outcome(read: () => unknown): unknown {
  try {
    return { value: read() };
  } catch (error) {
    if (!(error instanceof ParseError)) throw error;
    return { code: error.code, offset: error.offset };
  }
}

function tagOf(read: () => ParsedMessage['to']): string | undefined {
  const value = read();
  return value?.wildcard === false ? value.tag : undefined;
}

/**
 * The quick reads agree with the full grammar: when the full read succeeds, the quick one gives
 * the same value; when it fails, the quick one fails the same way or reads a value whose other
 * parts it does not check.
 */
function expectAgreement(message: ParsedMessage, name: string): void {
  const pairs: [string, unknown, unknown][] = [
    ['branch', outcome(() => message.branch), outcome(() => message.topVia?.branch)],
    ['toTag', outcome(() => message.toTag), outcome(() => tagOf(() => message.to))],
    ['fromTag', outcome(() => message.fromTag), outcome(() => tagOf(() => message.from))],
  ];
  for (const [what, fast, full] of pairs) {
    if (full !== null && typeof full === 'object' && 'value' in full) {
      expect(fast, `${name}: ${what}`).toEqual(full);
    } else if (!(fast !== null && typeof fast === 'object' && 'value' in fast)) {
      expect(fast, `${name}: ${what}`).toEqual(full);
    }
  }
}

describe('agreement with the full grammar', () => {
  const available = sharedAvailable('corpus');

  it.skipIf(!available)('holds on every corpus message that parses', () => {
    let checked = 0;
    for (const folder of ['corpus/rfc4475', 'corpus/rfc5118']) {
      for (const file of readCorpus(folder, '.dat')) {
        let message: ParsedMessage;
        try {
          message = parseMessage(file.bytes, { allowBareLf: true });
        } catch {
          continue;
        }
        expectAgreement(message, file.name);
        checked++;
      }
    }
    for (const file of readCorpus('corpus/real', '.sip')) {
      let message: ParsedMessage;
      try {
        message = parseMessage(file.bytes);
      } catch {
        continue;
      }
      expectAgreement(message, file.name);
      checked++;
    }
    expect(checked).toBeGreaterThan(100);
  });

  const valueChar = fc.constantFrom(
    ...'aZ9-.!%*_+`\'~:[]@;=,"<> \t\\/?()&$#',
    'branch',
    'tag',
    'sip:',
    '\r\n ',
    'é',
  );
  const value = fc.array(valueChar, { maxLength: 24 }).map((parts) => parts.join(''));

  test.prop([value, value], { numRuns: 300 })(
    'holds on any Via, To and From value built from SIP punctuation',
    (head, tail) => {
      let message: ParsedMessage;
      try {
        message = withHeaders(
          `Via: SIP/2.0/UDP ${head}${tail}`,
          `To: ${head}<sip:b@c>${tail}`,
          `From: ${head}${tail}`,
        );
      } catch (error) {
        if (error instanceof ParseError) return;
        throw error;
      }
      expectAgreement(message, `${head}|${tail}`);
    },
  );
});
