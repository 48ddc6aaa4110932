import { describe, expect, it } from 'vitest';
import * as parse from '../../src/parse/index.js';

describe('src/parse/index', () => {
  it('exports exactly the parser API', () => {
    expect(Object.keys(parse).sort()).toEqual([
      'DEFAULT_LIMITS',
      'LENIENCIES',
      'PARSER_PROFILES',
      'PARSE_ERROR_CODES',
      'ParseError',
      'ParsedMessageBase',
      'ParsedRequest',
      'ParsedResponse',
      'SipStreamParser',
      'createParser',
      'createParserStream',
      'parseDatagram',
      'parseMessage',
    ]);
  });
});
