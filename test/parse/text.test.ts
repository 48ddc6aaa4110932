import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { byteIndexOf, decodeFolded, decodeText, internText } from '../../src/parse/text.js';
import { bytes, latin1 } from '../helpers/bytes.js';

const decoder = new TextDecoder();

describe('decodeText', () => {
  it('decodes a byte range as UTF-8, short and long, ASCII or not', () => {
    const input = bytes`xx Bob, Всё хорошо — 大停電 😀 yy`;
    expect(decodeText(input, 3, input.length - 3)).toBe('Bob, Всё хорошо — 大停電 😀');
    expect(decodeText(input, 3, 6)).toBe('Bob');
    expect(decodeText(bytes`é`, 0, 2)).toBe('é');
    expect(decodeText(input, 5, 5)).toBe('');
  });

  it('replaces malformed UTF-8 with U+FFFD and keeps a byte-order mark as data', () => {
    expect(decodeText(latin1('a\xffb\xe0\x80c'), 0, 7)).toBe('a\uFFFDb\uFFFD\uFFFDc');
    expect(decodeText(latin1('\xef\xbb\xbfx'), 0, 4)).toBe('\uFEFFx');
  });
});

describe('decodeText on short ranges, decoded in JS', () => {
  it('agrees with TextDecoder at every length around the chunk sizes, wherever a non-ASCII byte is', () => {
    for (let length = 0; length <= 40; length++) {
      const ascii = 'abcdefghijklmnopqrstuvwxyz0123456789ABCD'.slice(0, length);
      expect(decodeText(bytes`<${ascii}>`, 1, length + 1)).toBe(ascii);
      for (let at = 0; at < length; at++) {
        const text = `${ascii.slice(0, at)}é${ascii.slice(at + 1)}`;
        const input = bytes`${text}`;
        expect(decodeText(input, 0, input.length), `${length}/${at}`).toBe(decoder.decode(input));
      }
    }
  });
});

describe('internText', () => {
  it('decodes like decodeText and returns the same string for the same bytes', () => {
    const first = internText(bytes`INVITE`, 0, 6);
    expect(first).toBe('INVITE');
    expect(internText(bytes`xINVITE`, 1, 7)).toBe(first);
    expect(internText(bytes`INVITF`, 0, 6)).toBe('INVITF');
    expect(internText(bytes`Všechno`, 0, 8)).toBe('Všechno');
    expect(internText(bytes`Všechno`, 0, 8)).toBe('Všechno');
    expect(internText(bytes``, 0, 0)).toBe('');
    const long = 'x'.repeat(40);
    expect(internText(bytes`${long}`, 0, 40)).toBe(long);
  });

  it('never mistakes bytes for a cached string of the same shape', () => {
    for (const text of ['Ringing', 'Rjnging', 'RINGING', 'Ringinf', 'Rînging']) {
      const input = bytes`${text}`;
      expect(internText(input, 0, input.length)).toBe(text);
    }
  });
});

describe('decodeFolded', () => {
  it('turns each whitespace run that holds a line ending into one SP (RFC 3261 §7.3.1)', () => {
    const input = bytes`a\r\n b \r\n\t\tc\r\n  \r\n d`;
    expect(decodeFolded(input, 0, input.length)).toBe('a b c d');
  });

  it('keeps whitespace runs without a line ending as they are, and bare-LF folds', () => {
    const input = bytes`a  b\t\tc\n d`;
    expect(decodeFolded(input, 0, input.length)).toBe('a  b\t\tc d');
  });

  it('decodes UTF-8 on both sides of a fold', () => {
    const input = bytes`Всё\r\n хорошо`;
    expect(decodeFolded(input, 0, input.length)).toBe('Всё хорошо');
  });
});

describe('byteIndexOf', () => {
  it('is the identity on ASCII without folds', () => {
    const input = bytes`Via: SIP/2.0/UDP h`;
    for (let index = 0; index <= input.length; index++) {
      expect(byteIndexOf(input, 0, input.length, index)).toBe(index);
    }
  });

  it('maps characters of 2, 3 and 4 bytes to the byte where they start', () => {
    // "Ñ" 2 bytes, "停" 3 bytes, "😀" 4 bytes and two UTF-16 units
    const input = bytes`aÑb停c😀d`;
    const starts = [0, 1, 3, 4, 7, 8, 8, 12, 13];
    starts.forEach((byte, index) => {
      expect(byteIndexOf(input, 0, input.length, index), `index ${index}`).toBe(byte);
    });
  });

  it('maps a folded run to its first byte and what follows to the bytes after it', () => {
    const input = bytes`a\r\n b`;
    expect([0, 1, 2, 3].map((index) => byteIndexOf(input, 0, input.length, index))).toEqual([
      0, 1, 4, 5,
    ]);
  });

  it('counts malformed UTF-8 the way TextDecoder replaces it', () => {
    // E0 80: E0 alone is one U+FFFD (80 is not a valid second byte after E0), then 80 another
    const input = latin1('\xe0\x80x\xf0\x9f\x98y\xffz');
    expect(decodeText(input, 0, input.length)).toBe('\uFFFD\uFFFDx\uFFFDy\uFFFDz');
    const starts = [0, 1, 2, 3, 6, 7, 8, 9];
    starts.forEach((byte, index) => {
      expect(byteIndexOf(input, 0, input.length, index), `index ${index}`).toBe(byte);
    });
  });

  it('works inside a larger buffer and clamps to the end', () => {
    const input = bytes`xxxabcxxx`;
    expect(byteIndexOf(input, 3, 6, 2)).toBe(5);
    expect(byteIndexOf(input, 3, 6, 99)).toBe(6);
  });

  test.prop(
    [
      fc
        .uint8Array({ maxLength: 40 })
        .map((array) => array.map((byte) => (byte === 0x0a || byte === 0x0d ? 0x41 : byte))),
    ],
    {
      numRuns: 300,
    },
  )('splits any bytes where the decoded string splits, at every character start', (input) => {
    const text = decodeText(input, 0, input.length);
    for (let index = 0; index <= text.length; index++) {
      const unit = text.charCodeAt(index);
      // the low half of a surrogate pair is not a character start
      if (unit >= 0xdc00 && unit <= 0xdfff) continue;
      const byte = byteIndexOf(input, 0, input.length, index);
      expect(decoder.decode(input.subarray(0, byte))).toBe(text.slice(0, index));
      expect(decoder.decode(input.subarray(byte))).toBe(text.slice(index));
    }
  });
});
