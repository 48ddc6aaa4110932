import { describe, expect, it } from 'vitest';
import {
  CONFLICTING_CONTENT_LENGTHS,
  NEED_MORE,
  NO_CONTENT_LENGTH,
  readContentLength,
  scanHeaderSection,
} from '../../src/parse/framing.js';
import { parseMessage } from '../../src/parse/index.js';
import { DEFAULT_LIMITS } from '../../src/parse/limits.js';
import { beginMessage, createState, type ParserState } from '../../src/parse/state.js';
import { bytes } from '../helpers/bytes.js';
import { errorAt, runStream } from './support.js';

const START = 'OPTIONS sip:a@b SIP/2.0\r\n';
const SECTION = `${START}Via: SIP/2.0/UDP h\r\nl: 4\r\n\r\n`;

function freshState(): ParserState {
  const state = createState(DEFAULT_LIMITS, false, undefined);
  beginMessage(state, 0);
  return state;
}

describe('scanHeaderSection', () => {
  it('returns the byte length of the header section, empty line included', () => {
    const input = bytes`${SECTION}body`;
    expect(scanHeaderSection(freshState(), input, 0)).toBe(SECTION.length);
  });

  it('scans from `base`, the first byte of the message', () => {
    const input = bytes`junk${SECTION}`;
    expect(scanHeaderSection(freshState(), input, 4)).toBe(SECTION.length);
  });

  it('resumes where it stopped and never scans a byte twice', () => {
    const input = bytes`${SECTION}`;
    const state = freshState();
    for (let end = 1; end < input.length; end++) {
      expect(scanHeaderSection(state, input.subarray(0, end), 0)).toBe(NEED_MORE);
      expect(state.steps).toBe(end);
      expect(state.scanFrom).toBe(end);
    }
    expect(scanHeaderSection(state, input, 0)).toBe(input.length);
    expect(state.steps).toBe(input.length);
  });

  it('keeps the start of the line in progress between calls', () => {
    const state = freshState();
    expect(scanHeaderSection(state, bytes`${START}Via: SIP`, 0)).toBe(NEED_MORE);
    expect([state.lineStart, state.startLineDone, state.fieldCount]).toEqual([
      START.length,
      true,
      0,
    ]);
  });

  it('records each field: Via and the compact Content-Length', () => {
    const state = freshState();
    scanHeaderSection(state, bytes`${SECTION}`, 0);
    expect([state.fieldCount, state.contentLengthCount]).toEqual([2, 1]);
  });
});

describe('line endings', () => {
  it('waits for the LF when a chunk ends with CR, in the start line and in a header', () => {
    const text = `${START}l: 0\r\n\r\n`;
    for (const cut of [START.length - 1, START.length + 5, text.length - 1]) {
      const run = runStream([bytes`${text.slice(0, cut)}`, bytes`${text.slice(cut)}`]);
      expect(run.error).toBeUndefined();
      expect(run.messages.map((message) => message.headers.length)).toEqual([1]);
    }
  });

  it('rejects a CR followed by anything but LF at the CR, whatever the chunking', () => {
    const text = `${START}l: 0\r\rX\r\n\r\n`;
    // the second CR of "l: 0" CR CR is at 25 + 4
    for (const chunks of [[text], [text.slice(0, 30), text.slice(30)], [...text]]) {
      const run = runStream(chunks.map((chunk) => bytes`${chunk}`));
      expect([run.error?.code, run.error?.offset]).toEqual(['INVALID_LINE_ENDING', 29]);
    }
  });

  it('rejects a bare CR inside a line at the CR', () => {
    expect(errorAt(() => parseMessage(`${START}Subject: a\rb\r\n\r\n`))).toBe(
      'INVALID_LINE_ENDING@35',
    );
    expect(errorAt(() => parseMessage(`OPTIONS sip:a@b\rSIP/2.0\r\n\r\n`))).toBe(
      'INVALID_LINE_ENDING@15',
    );
  });

  it('rejects a bare LF at the LF, in the start line, a header and the empty line', () => {
    expect(errorAt(() => parseMessage('OPTIONS sip:a@b SIP/2.0\n\r\n'))).toBe(
      'INVALID_LINE_ENDING@23',
    );
    expect(errorAt(() => parseMessage(`${START}l: 0\n\r\n`))).toBe('INVALID_LINE_ENDING@29');
    expect(errorAt(() => parseMessage(`${START}l: 0\r\n\n`))).toBe('INVALID_LINE_ENDING@31');
  });

  it('does not look at line endings in the body', () => {
    const message = parseMessage(`${START}l: 6\r\n\r\n\r\r\n\n\x00\r`);
    expect([...message.body]).toEqual([13, 13, 10, 10, 0, 13]);
  });
});

describe('readContentLength', () => {
  function lengthOf(header: string, allowConflict = false): number {
    const state = freshState();
    const input = bytes`${START}${header}\r\n`;
    expect(scanHeaderSection(state, input, 0)).toBe(input.length);
    return readContentLength(state, input, 0, allowConflict);
  }

  it('reads decimal octets, leading zeros and surrounding whitespace allowed (RFC 3261 §20.14)', () => {
    expect(lengthOf('Content-Length: 150\r\n')).toBe(150);
    expect(lengthOf('l:0068\r\n')).toBe(68);
    expect(lengthOf('content-length :  0  \r\n')).toBe(0);
    expect(lengthOf('Content-Length:\r\n 12\r\n')).toBe(12);
  });

  it('is NO_CONTENT_LENGTH without the field', () => {
    expect(lengthOf('Via: x\r\n')).toBe(NO_CONTENT_LENGTH);
  });

  it('accepts a repeated field with the same value', () => {
    expect(lengthOf('l: 5\r\nContent-Length: 005\r\n')).toBe(5);
  });

  it('reports disagreeing values: CONFLICTING_CONTENT_LENGTHS in datagram mode, an error in stream mode', () => {
    expect(lengthOf('l: 5\r\nl: 13\r\n', true)).toBe(CONFLICTING_CONTENT_LENGTHS);
    // the second value starts at 25 + 6 + 3
    expect(errorAt(() => lengthOf('l: 5\r\nl: 13\r\n'))).toBe('CONFLICTING_CONTENT_LENGTH@34');
  });

  it.each([
    // [value, offset of the first byte that is not a digit, from the value at 25 + 16]
    ['-999', 41],
    ['five', 41],
    ['+1', 41],
    ['1 0', 42],
    ['0x10', 42],
    ['12;x', 43],
    ['', 41],
  ])(
    'rejects Content-Length %j with INVALID_CONTENT_LENGTH at its first non-digit',
    (value, offset) => {
      expect(errorAt(() => lengthOf(`Content-Length: ${value}\r\n`))).toBe(
        `INVALID_CONTENT_LENGTH@${offset}`,
      );
    },
  );

  it('rejects a value above limits.maxBodyBytes with BODY_TOO_LARGE, however many digits, without overflow', () => {
    expect(errorAt(() => lengthOf(`Content-Length: ${DEFAULT_LIMITS.maxBodyBytes + 1}\r\n`))).toBe(
      'BODY_TOO_LARGE@41',
    );
    expect(errorAt(() => lengthOf(`Content-Length: ${'9'.repeat(400)}\r\n`))).toBe(
      'BODY_TOO_LARGE@41',
    );
    expect(lengthOf(`Content-Length: ${DEFAULT_LIMITS.maxBodyBytes}\r\n`)).toBe(
      DEFAULT_LIMITS.maxBodyBytes,
    );
  });
});
