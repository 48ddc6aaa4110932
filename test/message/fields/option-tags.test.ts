import { describe, expect, it } from 'vitest';
import { parseOptionTags } from '../../../src/message/fields/option-tags.js';
import { codeAt, failure } from './helpers.js';

describe('parseOptionTags', () => {
  it('reads a comma list of tokens with whitespace around commas', () => {
    expect(parseOptionTags('100rel , timer,\tpath')).toEqual(['100rel', 'timer', 'path']);
  });

  it('returns an empty list for an empty Supported (RFC 3261 §20.37)', () => {
    expect(parseOptionTags('')).toEqual([]);
    expect(parseOptionTags('  ')).toEqual([]);
  });

  it('reads Allow methods as written (RFC 3261 §20.5)', () => {
    expect(parseOptionTags('INVITE, ACK, OPTIONS, CANCEL, BYE')).toEqual([
      'INVITE',
      'ACK',
      'OPTIONS',
      'CANCEL',
      'BYE',
    ]);
  });

  it('reads the unknown tags of RFC 4475 §3.3.5', () => {
    expect(parseOptionTags('nothingSupportsThis, nothingSupportsThisEither')).toEqual([
      'nothingSupportsThis',
      'nothingSupportsThisEither',
    ]);
  });

  it('rejects empty elements and non-token characters', () => {
    expect(codeAt(() => parseOptionTags('a,,b'))).toEqual(['INVALID_OPTION_TAG', 2]);
    expect(codeAt(() => parseOptionTags('a,'))).toEqual(['INVALID_OPTION_TAG', 2]);
    expect(codeAt(() => parseOptionTags(',a'))).toEqual(['INVALID_OPTION_TAG', 0]);
    expect(codeAt(() => parseOptionTags('a b'))).toEqual(['INVALID_OPTION_TAG', 2]);
    expect(codeAt(() => parseOptionTags('a;b'))).toEqual(['INVALID_OPTION_TAG', 1]);
  });

  it('says what was expected', () => {
    expect(failure(() => parseOptionTags('timer; x')).message).toMatchInlineSnapshot(
      `"Invalid option tag list at character 5: expected "," or the end, found "; x""`,
    );
  });
});
