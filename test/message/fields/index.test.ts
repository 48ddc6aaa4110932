import { describe, expect, it } from 'vitest';
import * as fields from '../../../src/message/fields/index.js';

describe('message/fields index', () => {
  it('re-exports exactly the public field grammar', () => {
    expect(Object.keys(fields).sort()).toEqual([
      'DELTA_SECONDS_MAX',
      'MAX_FORWARDS_MAX',
      'formatNameAddr',
      'formatUri',
      'isToken',
      'parseCSeq',
      'parseCallId',
      'parseChallenge',
      'parseContentDisposition',
      'parseContentLength',
      'parseContentType',
      'parseCredentials',
      'parseDecimal',
      'parseExpires',
      'parseMaxForwards',
      'parseNameAddr',
      'parseOptionTags',
      'parseParameters',
      'parseQuotedString',
      'parseRetryAfter',
      'parseUri',
      'parseVia',
      'quoteString',
      'splitHeaderList',
    ]);
  });
});
