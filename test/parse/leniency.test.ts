/**
 * The leniency table and the interop profile: each case real stacks send is accepted under
 * `profile: 'interop'` (and under its one named option alone) with the leniency reported at
 * the offset where the strict default refuses it, and the strict default still refuses it with
 * the error it gave before the profile existed. Stream and datagram agree at every chunking.
 */
import { describe, expect, it } from 'vitest';
import { validate } from '../../src/message/index.js';
import {
  LENIENCIES,
  type LeniencyCode,
  type LeniencyOption,
  PARSER_PROFILES,
  type ParsedMessage,
  parseDatagram,
} from '../../src/parse/index.js';
import { resolveLeniencies } from '../../src/parse/leniency.js';
import { splitAt } from '../helpers/bytes.js';
import { errorAt, messageDetail, runDetail, runStream } from './support.js';

const encoder = new TextEncoder();

const VIA = 'Via: SIP/2.0/UDP host.example.com;branch=z9hG4bK1';
const OPTIONS_LINE = 'OPTIONS sip:bob@example.com SIP/2.0';

interface Case {
  readonly name: string;
  readonly text: string;
  /** The options that accept it alone (besides the profile). */
  readonly options: readonly LeniencyOption[];
  /** `CODE@offset` of the strict refusal, datagram and stream alike. */
  readonly strict: string;
  /** `CODE@offset xcount` of each leniency the message reports, in table order. */
  readonly leniencies: readonly string[];
  /** The start line as read: `METHOD URI VERSION` or `VERSION STATUS "REASON"`. */
  readonly start: string;
  /** Header names as read. */
  readonly headers: readonly string[];
  readonly body?: string;
  /** parseDatagram only: a stream cannot know that a section ends with the input. */
  readonly datagramOnly?: true;
  /** The strict refusal is not at a leniency's place (it never finds a line end). */
  readonly strictElsewhere?: true;
}

const CASES: readonly Case[] = [
  {
    name: 'Status-Line with no SP and no reason',
    text: `SIP/2.0 200\r\n${VIA}\r\nContent-Length: 0\r\n\r\n`,
    options: ['allowStatusWithoutReason'],
    strict: 'INVALID_START_LINE@11',
    leniencies: ['STATUS_WITHOUT_REASON@11x1'],
    start: 'SIP/2.0 200 ""',
    headers: ['Via', 'Content-Length'],
  },
  {
    name: 'Request-Line with a trailing SP',
    text: `${OPTIONS_LINE} \r\n${VIA}\r\nContent-Length: 0\r\n\r\n`,
    options: ['allowRequestLineSpaces'],
    strict: 'INVALID_START_LINE@35',
    leniencies: ['REQUEST_LINE_SPACES@35x1'],
    start: OPTIONS_LINE,
    headers: ['Via', 'Content-Length'],
  },
  {
    name: 'Request-Line with two SP after the method',
    text: `OPTIONS  sip:bob@example.com SIP/2.0\r\n${VIA}\r\nContent-Length: 0\r\n\r\n`,
    options: ['allowRequestLineSpaces'],
    strict: 'INVALID_START_LINE@8',
    leniencies: ['REQUEST_LINE_SPACES@8x1'],
    start: OPTIONS_LINE,
    headers: ['Via', 'Content-Length'],
  },
  {
    name: 'Request-Line with two SP before the version and one after it',
    text: `OPTIONS sip:bob@example.com  SIP/2.0 \r\n${VIA}\r\nContent-Length: 0\r\n\r\n`,
    options: ['allowRequestLineSpaces'],
    strict: 'INVALID_START_LINE@36',
    leniencies: ['REQUEST_LINE_SPACES@36x1'],
    start: OPTIONS_LINE,
    headers: ['Via', 'Content-Length'],
  },
  {
    name: 'bare LF line endings (a stored fixture)',
    text: `${OPTIONS_LINE}\n${VIA}\nContent-Length: 4\n\nbody`,
    options: ['allowBareLf'],
    strict: 'INVALID_LINE_ENDING@35',
    leniencies: ['BARE_LF@35x4'],
    start: OPTIONS_LINE,
    headers: ['Via', 'Content-Length'],
    body: 'body',
  },
  {
    name: 'bare LF before the start line',
    text: `\n${OPTIONS_LINE}\r\n${VIA}\r\nContent-Length: 0\r\n\r\n`,
    options: ['allowBareLf'],
    strict: 'INVALID_LINE_ENDING@0',
    leniencies: ['BARE_LF@0x1'],
    start: OPTIONS_LINE,
    headers: ['Via', 'Content-Length'],
  },
  {
    name: 'bare CR line endings, a folded line among them',
    text: `${OPTIONS_LINE}\r${VIA}\rSubject: a\r b\rContent-Length: 2\r\rhi`,
    options: ['allowBareCr'],
    // no LF at all: the strict scanner never sees a line end, and the datagram ends
    strict: `INCOMPLETE_MESSAGE@${OPTIONS_LINE.length + VIA.length + 37}`,
    strictElsewhere: true,
    leniencies: ['BARE_CR@35x6'],
    start: OPTIONS_LINE,
    headers: ['Via', 'Subject', 'Content-Length'],
    body: 'hi',
  },
  {
    name: 'mixed bare CR and bare LF',
    text: `${OPTIONS_LINE}\r${VIA}\rContent-Length: 2\n\nhi`,
    options: ['allowBareLf', 'allowBareCr'],
    // the strict scanner meets the first LF first: the end of the Content-Length line
    strict: `INVALID_LINE_ENDING@${OPTIONS_LINE.length + VIA.length + 19}`,
    leniencies: [`BARE_LF@${OPTIONS_LINE.length + VIA.length + 19}x2`, 'BARE_CR@35x2'],
    start: OPTIONS_LINE,
    headers: ['Via', 'Content-Length'],
    body: 'hi',
  },
  {
    name: 'header section not closed by an empty line at the end of a datagram',
    text: `${OPTIONS_LINE}\r\n${VIA}\r\nContent-Length: 0\r\n`,
    options: ['allowUnterminatedHeaders'],
    strict: `INCOMPLETE_MESSAGE@${OPTIONS_LINE.length + VIA.length + 23}`,
    leniencies: [`UNTERMINATED_HEADERS@${OPTIONS_LINE.length + VIA.length + 23}x1`],
    start: OPTIONS_LINE,
    headers: ['Via', 'Content-Length'],
    datagramOnly: true,
  },
];

function startOf(message: ParsedMessage): string {
  return message.type === 'request'
    ? `${message.method} ${message.uri} ${message.version}`
    : `${message.version} ${message.status} ${JSON.stringify(message.reason)}`;
}

function leniencies(message: ParsedMessage): string[] {
  return message.leniencies.map((used) => `${used.code}@${used.offset}x${used.count}`);
}

/** Every way to cut `input` in two, and one byte at a time. */
function chunkings(input: Uint8Array): Uint8Array[][] {
  const out: Uint8Array[][] = [[input]];
  for (let at = 1; at < input.length; at++) out.push(splitAt(input, [at]));
  out.push(Array.from(input, (byte) => new Uint8Array([byte])));
  return out;
}

describe('LENIENCIES', () => {
  it('has unique codes and options, each refusing with a parse error code', () => {
    expect(new Set(LENIENCIES.map((row) => row.code)).size).toBe(LENIENCIES.length);
    expect(new Set(LENIENCIES.map((row) => row.option)).size).toBe(LENIENCIES.length);
    for (const row of LENIENCIES) {
      expect(row.code).toMatch(/^[A-Z]+(_[A-Z0-9]+)*$/);
      expect(row.option).toMatch(/^allow[A-Z]\w+$/);
      expect(row.source).toMatch(/^RFC \d+ §/);
    }
  });

  it('resolves the profile first, then each option set to true or false', () => {
    const all = (1 << LENIENCIES.length) - 1;
    expect(PARSER_PROFILES).toEqual(['strict', 'interop']);
    expect(resolveLeniencies({})).toBe(0);
    expect(resolveLeniencies({ profile: 'strict' })).toBe(0);
    expect(resolveLeniencies({ profile: 'interop' })).toBe(all);
    expect(resolveLeniencies({ profile: 'interop', allowBareCr: false })).toBe(all & ~2);
    expect(resolveLeniencies({ profile: 'strict', allowBareLf: true })).toBe(1);
    expect(() => resolveLeniencies({ profile: 'loose' as 'strict' })).toThrow(RangeError);
  });

  it('refuses an unknown profile in both parsers', () => {
    const options = { profile: 'lenient' as 'interop' };
    expect(() => parseDatagram(encoder.encode('x'), options)).toThrow(RangeError);
    expect(() => runStream([], options)).toThrow(RangeError);
  });
});

describe.each(CASES.map((entry) => [entry.name, entry] as const))('%s', (_name, entry) => {
  const input = encoder.encode(entry.text);

  it('is refused by the strict default, datagram and stream, with the same code and offset', () => {
    expect(errorAt(() => parseDatagram(input))).toBe(entry.strict);
    expect(errorAt(() => parseDatagram(input, { profile: 'strict' }))).toBe(entry.strict);
    const error = runStream([input]).error;
    expect(error && `${error.code}@${error.offset}`).toBe(entry.strict);
  });

  it('is accepted under the interop profile with each leniency reported where strict refuses', () => {
    const message = parseDatagram(input, { profile: 'interop' });
    expect(startOf(message)).toBe(entry.start);
    expect(message.headers.map((field) => field.name)).toEqual(entry.headers);
    expect(new TextDecoder().decode(message.body)).toBe(entry.body ?? '');
    expect(leniencies(message)).toEqual(entry.leniencies);
    // the strict refusal is one of the reported places, with that leniency's refusal code
    const refusals = message.leniencies.map((used) => {
      const row = LENIENCIES.find((candidate) => candidate.code === used.code);
      return `${row?.refused}@${used.offset}`;
    });
    if (entry.strictElsewhere !== true) expect(refusals).toContain(entry.strict);
  });

  it('is accepted with its named option(s) alone, and refused when the profile has them off', () => {
    const named = Object.fromEntries(entry.options.map((option) => [option, true]));
    expect(leniencies(parseDatagram(input, named))).toEqual(entry.leniencies);
    const off = Object.fromEntries(entry.options.map((option) => [option, false]));
    expect(errorAt(() => parseDatagram(input, { profile: 'interop', ...off }))).toBe(entry.strict);
  });

  it('never passes validate as clean: one SHOULD LENIENT_SYNTAX per leniency, at its offset', () => {
    const message = parseDatagram(input, { profile: 'interop' });
    const issues = validate(message).filter((issue) => issue.code === 'LENIENT_SYNTAX');
    expect(issues.map((issue) => [issue.severity, issue.offset])).toEqual(
      message.leniencies.map((used) => ['SHOULD', used.offset]),
    );
    for (const [index, used] of message.leniencies.entries()) {
      const row = LENIENCIES.find((candidate) => candidate.code === used.code);
      expect(issues[index]?.message).toContain(`(${used.code}, option ${row?.option})`);
      expect(issues[index]?.message).toContain(`at byte ${used.offset}`);
      expect(issues[index]?.source).toBe(row?.source);
    }
  });

  it.skipIf(entry.datagramOnly === true)(
    'gives the stream parser the same message at every chunking, under the interop profile',
    () => {
      const expected = messageDetail(parseDatagram(input, { profile: 'interop' }));
      for (const chunks of chunkings(input)) {
        const run = runStream(chunks, { profile: 'interop' });
        expect(run.error).toBeUndefined();
        expect(run.messages.map(messageDetail)).toEqual([expected]);
      }
    },
  );

  it('gives the stream parser the strict error at every chunking, under the strict default', () => {
    const expected = runDetail(runStream([input]));
    for (const chunks of chunkings(input)) expect(runDetail(runStream(chunks))).toEqual(expected);
  });
});

describe('what the interop profile does not accept', () => {
  it('keeps a Content-Length larger than the datagram an error at the same offset (RFC 3261 §18.3)', () => {
    const input = encoder.encode(`${OPTIONS_LINE}\r\n${VIA}\r\nContent-Length: 10\r\n\r\nabc`);
    const strict = errorAt(() => parseDatagram(input));
    expect(strict).toBe(`CONTENT_LENGTH_EXCEEDS_DATAGRAM@${OPTIONS_LINE.length + VIA.length + 20}`);
    expect(errorAt(() => parseDatagram(input, { profile: 'interop' }))).toBe(strict);
  });

  it('keeps an unterminated section on a stream incomplete: a stream cannot know it ended', () => {
    const input = encoder.encode(`${OPTIONS_LINE}\r\nContent-Length: 0\r\n`);
    expect(runDetail(runStream([input], { profile: 'interop' }))).toEqual([
      `error INCOMPLETE_MESSAGE at ${input.length}`,
    ]);
  });

  it('still refuses SP inside the Request-URI and a status code glued to its reason', () => {
    const lwsruri = encoder.encode('INVITE sip:a@b; lr SIP/2.0\r\nContent-Length: 0\r\n\r\n');
    expect(errorAt(() => parseDatagram(lwsruri, { profile: 'interop' }))).toBe(
      errorAt(() => parseDatagram(lwsruri)),
    );
    const glued = encoder.encode('SIP/2.0 200OK\r\nContent-Length: 0\r\n\r\n');
    expect(errorAt(() => parseDatagram(glued, { profile: 'interop' }))).toBe(
      'INVALID_START_LINE@11',
    );
  });

  it('leaves a CR at the very end undecided: incomplete in both modes', () => {
    const input = encoder.encode(`${OPTIONS_LINE}\r\nContent-Length: 0\r\n\r`);
    expect(errorAt(() => parseDatagram(input, { profile: 'interop' }))).toBe(
      `INCOMPLETE_MESSAGE@${input.length}`,
    );
    expect(runDetail(runStream([input], { profile: 'interop' }))).toEqual([
      `error INCOMPLETE_MESSAGE at ${input.length}`,
    ]);
  });
});

describe('a bare CR that splits a header in one reading and not in another', () => {
  // A proxy that does not split on a bare CR forwards one Subject; a parser that does sees a
  // second Via. The default must refuse it; the profile accepts it only with the report.
  const smuggled = encoder.encode(
    `${OPTIONS_LINE}\r\n${VIA}\r\nSubject: x\rVia: SIP/2.0/UDP evil;branch=z9hG4bK2\r\nContent-Length: 0\r\n\r\n`,
  );
  const cr = smuggled.indexOf(13, OPTIONS_LINE.length + VIA.length + 14);

  it('is refused by the strict default at the CR, in both modes and at every chunking', () => {
    expect(errorAt(() => parseDatagram(smuggled))).toBe(`INVALID_LINE_ENDING@${cr}`);
    expect(errorAt(() => parseDatagram(smuggled, { allowBareLf: true }))).toBe(
      `INVALID_LINE_ENDING@${cr}`,
    );
    for (const chunks of chunkings(smuggled)) {
      expect(runStream(chunks).error?.offset).toBe(cr);
    }
  });

  it('is read as two fields only with allowBareCr, and reported', () => {
    const message = parseDatagram(smuggled, { profile: 'interop' });
    expect(message.headers.map((field) => field.name)).toEqual([
      'Via',
      'Subject',
      'Via',
      'Content-Length',
    ]);
    expect(leniencies(message)).toEqual([`BARE_CR@${cr}x1`]);
  });
});

describe('leniency reports', () => {
  it('are empty and shared for a strict message, in every profile', () => {
    const input = encoder.encode(`${OPTIONS_LINE}\r\nContent-Length: 0\r\n\r\n`);
    const strict = parseDatagram(input);
    const interop = parseDatagram(input, { profile: 'interop' });
    expect(strict.leniencies).toEqual([]);
    expect(interop.leniencies).toBe(strict.leniencies);
    expect(Object.isFrozen(interop.leniencies)).toBe(true);
  });

  it('belong to the message they came with: the next one on a stream starts clean', () => {
    const input = encoder.encode(
      `${OPTIONS_LINE}\nContent-Length: 0\n\n\n${OPTIONS_LINE}\r\nContent-Length: 0\r\n\r\n`,
    );
    const run = runStream([input], { profile: 'interop' });
    // the LF between the two messages is a keep-alive: it counts for the message after it
    expect(run.messages.map(leniencies)).toEqual([['BARE_LF@35x3'], [`BARE_LF@${35 + 19 + 1}x1`]]);
  });

  it('count bare CR and LF between messages for the next message, as keep-alives', () => {
    const input = encoder.encode(`\r\r\n\n${OPTIONS_LINE}\r\nContent-Length: 0\r\n\r\n`);
    const run = runStream([input], { profile: 'interop' });
    expect(run.events.map((event) => event.kind)).toEqual([
      'keepalive',
      'keepalive',
      'keepalive',
      'message',
    ]);
    expect(run.messages.map(leniencies)).toEqual([['BARE_LF@3x1', 'BARE_CR@0x1']]);
    expect(leniencies(parseDatagram(input, { profile: 'interop' }))).toEqual([
      'BARE_LF@3x1',
      'BARE_CR@0x1',
    ]);
  });

  it('let a bare CR end a stream between messages under allowBareCr', () => {
    const input = encoder.encode(`${OPTIONS_LINE}\r\nContent-Length: 0\r\n\r\n\r`);
    expect(runStream([input], { allowBareCr: true }).error).toBeUndefined();
    expect(runStream([input]).error?.code).toBe('INCOMPLETE_MESSAGE');
  });
});

describe('leniency codes', () => {
  it('match the table', () => {
    const codes: LeniencyCode[] = [
      'BARE_LF',
      'BARE_CR',
      'UNTERMINATED_HEADERS',
      'STATUS_WITHOUT_REASON',
      'REQUEST_LINE_SPACES',
    ];
    expect(LENIENCIES.map((row) => row.code)).toEqual(codes);
  });
});

describe('limits on bare-CR lines', () => {
  // The start line "OPTIONS sip:a@b SIP/2.0" is 23 bytes; its line ending is the 24th.
  const line = 'OPTIONS sip:a@b SIP/2.0';
  const tail = 'l: 0\r\r';

  it.each([
    ['\r\n', 'CRLF'],
    ['\r', 'a bare CR'],
    ['\n', 'a bare LF'],
  ])('counts %j like its CRLF: the line ending is the last byte a limit allows (%s)', (eol) => {
    const input = encoder.encode(`${line}${eol}${tail}`);
    const limits = { maxStartLineBytes: line.length + eol.length };
    const tooSmall = { maxStartLineBytes: line.length + eol.length - 1 };
    for (const chunks of chunkings(input)) {
      const run = runStream(chunks, { profile: 'interop', limits }, false);
      expect(run.error, `${chunks.length} chunks`).toBeUndefined();
      const refused = runStream(chunks, { profile: 'interop', limits: tooSmall }, false);
      expect(refused.error && `${refused.error.code}@${refused.error.offset}`).toBe(
        'START_LINE_TOO_LONG@0',
      );
    }
  });
});
