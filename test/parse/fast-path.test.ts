import { describe, expect, it } from 'vitest';
import { scanCleanLines } from '../../src/parse/fast-path.js';
import { scanHeaderSection } from '../../src/parse/framing.js';
import { CONTENT_LENGTH_ID } from '../../src/parse/header-line.js';
import { DEFAULT_LIMITS, type ParserLimits } from '../../src/parse/limits.js';
import {
  beginMessage,
  createState,
  FIELD_INFO,
  FIELD_STRIDE,
  FOLDED_FLAG,
  ID_MASK,
  type ParserState,
  UNRESOLVED,
} from '../../src/parse/state.js';
import { bytes, chunk } from '../helpers/bytes.js';
import { runDetail, runStream } from './support.js';

const START = 'OPTIONS sip:a@b SIP/2.0\r\n'; // 25 bytes

function freshState(limits: ParserLimits = DEFAULT_LIMITS): ParserState {
  const state = createState(limits, false, undefined);
  beginMessage(state, 0);
  return state;
}

/** The field table as plain numbers. */
function fieldsOf(state: ParserState): number[] {
  return [...state.fields.subarray(0, state.fieldCount * FIELD_STRIDE)];
}

/** The same section scanned by the general path alone: one byte more per call. */
function generalScan(input: Uint8Array): ParserState {
  const state = freshState();
  for (let end = 1; end <= input.length; end++) {
    if (scanHeaderSection(state, input.subarray(0, end), 0) !== 0) break;
  }
  return state;
}

describe('scanCleanLines', () => {
  it('takes a whole clean section and records it as the general path does', () => {
    const section = `${START}Via: SIP/2.0/UDP h\r\nSubject :\tx \r\nl: 0\r\nX-Long: a\r\n \t b\r\n\r\n`;
    const input = bytes`${section}body`;
    const state = freshState();
    expect(scanCleanLines(state, input, 0)).toBe(true);
    expect([state.lineStart, state.scanFrom, state.steps]).toEqual([
      section.length,
      section.length,
      section.length,
    ]);
    const general = generalScan(input.subarray(0, section.length));
    // The general path identifies every name; the fast path only Content-Length.
    const ids = (fields: number[]) =>
      fields.map((value, index) =>
        index % FIELD_STRIDE === FIELD_INFO ? value & ~ID_MASK : value,
      );
    expect(ids(fieldsOf(state))).toEqual(ids(fieldsOf(general)));
    expect([state.fieldCount, state.contentLengthCount, state.startLineDone]).toEqual([4, 1, true]);
  });

  it('identifies Content-Length only, and marks folded fields', () => {
    const state = freshState();
    scanCleanLines(state, bytes`${START}Via: a\r\nContent-Length: 0\r\nX: 1\r\n 2\r\n\r\n`, 0);
    const infos = [0, 1, 2].map((field) => state.fields[field * FIELD_STRIDE + FIELD_INFO]);
    expect(infos).toEqual([UNRESOLVED, CONTENT_LENGTH_ID + 1, UNRESOLVED | FOLDED_FLAG]);
  });

  it('stops at the first byte of a line it cannot take, for the general path to read', () => {
    for (const bad of [
      'X: a\rb\r\n',
      'X: a\n',
      'X a\r\n',
      ': a\r\n',
      'X\r\n',
      '\rX\r\n',
      '\r\r\n',
      '\n',
    ]) {
      const state = freshState();
      const input = bytes`${START}Via: a\r\n${bad}\r\n`;
      expect(scanCleanLines(state, input, 0), JSON.stringify(bad)).toBe(false);
      expect([state.lineStart, state.scanFrom, state.steps, state.fieldCount]).toEqual([
        START.length + 8,
        START.length + 8,
        START.length + 8,
        1,
      ]);
    }
  });

  it('stops at a continuation line with no field before it', () => {
    const state = freshState();
    expect(scanCleanLines(state, bytes`${START} x\r\n\r\n`, 0)).toBe(false);
    expect([state.lineStart, state.fieldCount]).toEqual([START.length, 0]);
  });

  it('stops at a line that reaches a limit, leaving the error to the general path', () => {
    const cases: [Partial<ParserLimits>, string][] = [
      [{ maxHeaderLineBytes: 7 }, 'X: abc\r\n'],
      [{ maxHeaderCount: 1 }, 'X: 1\r\nY: 2\r\n'],
      [{ maxHeaderSectionBytes: START.length + 9 }, 'X: abcd\r\n\r\n'],
    ];
    for (const [limits, lines] of cases) {
      const state = freshState({ ...DEFAULT_LIMITS, ...limits });
      expect(scanCleanLines(state, bytes`${START}${lines}\r\n`, 0)).toBe(false);
      expect(state.lineStart).toBeLessThan(START.length + lines.length);
    }
    const state = freshState({ ...DEFAULT_LIMITS, maxStartLineBytes: START.length - 1 });
    expect(scanCleanLines(state, bytes`${START}\r\n`, 0)).toBe(false);
    expect([state.lineStart, state.startLineDone]).toEqual([0, false]);
  });

  it('takes a line that just fits each limit', () => {
    const limits = {
      ...DEFAULT_LIMITS,
      maxStartLineBytes: START.length,
      maxHeaderLineBytes: 9,
      maxHeaderCount: 1,
      maxHeaderSectionBytes: START.length + 11,
    };
    // "X: abcd" CRLF is 9 bytes; the section, with the empty line, 25 + 9 + 2.
    expect(scanCleanLines(freshState(limits), bytes`${START}X: abcd\r\n\r\n`, 0)).toBe(true);
  });

  it('leaves a line cut by the end of the input with its LF search past the end', () => {
    for (const tail of ['X: a', 'X: a\r', 'X', 'X ', '\r', ' x']) {
      const state = freshState();
      const input = bytes`${START}Via: a\r\n${tail}`;
      expect(scanCleanLines(state, input, 0), JSON.stringify(tail)).toBe(false);
      expect([state.lineStart, state.scanFrom, state.steps]).toEqual([
        START.length + 8,
        input.length,
        input.length,
      ]);
    }
  });
});

describe('fast and general paths', () => {
  const sections = [
    `${START}Via: SIP/2.0/UDP h\r\nl: 3\r\n\r\nabc`,
    `${START}To :\r\n <sip:a@b>\r\nSubject: a\r\n\t\r\n b \r\nl: 0\r\n\r\n`,
    `${START}X: a\rb\r\nl: 0\r\n\r\n`,
    `${START}X: a\nl: 0\r\n\r\n`,
    `${START}X a\r\nl: 0\r\n\r\n`,
    `${START}l: 1\r\nl: 2\r\n\r\nab`,
    `${START}l: x\r\n\r\n`,
    `SIP/2.0 200 OK\r\nCSeq: 1 INVITE\r\nl: 0\r\n\r\n`,
    `SIP/2.0 2000 OK\r\nl: 0\r\n\r\n`,
    `OPTIONS  sip:a@b SIP/2.0\r\nl: 0\r\n\r\n`,
    `${START}X: 1\r\nX: 2\r\nX: 3\r\nl: 0\r\n\r\n`,
    `${START}X: ${'a'.repeat(40)}\r\nl: 0\r\n\r\n`,
  ];
  const limits: Partial<ParserLimits> = {
    maxHeaderCount: 3,
    maxHeaderLineBytes: 40,
    maxHeaderSectionBytes: 90,
  };

  it.each(sections)('agree on %j, in one piece and one byte at a time', (section) => {
    const input = bytes`${section}`;
    for (const options of [{}, { limits }]) {
      const whole = runDetail(runStream([input], options));
      expect(runDetail(runStream(chunk(input, 1), options))).toEqual(whole);
      expect(runDetail(runStream(chunk(input, 7), options))).toEqual(whole);
    }
  });
});
