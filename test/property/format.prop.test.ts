/**
 * Round trips of generated URIs and name-addrs: parsing what formatUri / formatNameAddr wrote
 * gives back the same parts (everything but the raw texts), for any text in the parts.
 */
import { test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { formatNameAddr, formatUri, parseNameAddr, parseUri } from '../../src/message/index.js';
import {
  nameAddrOf,
  nameAddrPartsArbitrary,
  sipUriPartsArbitrary,
} from '../arbitraries/addresses.js';
import { nameAddrShape, uriShape } from '../helpers/shapes.js';

const RUNS = { numRuns: 300 };

describe('format round trips', () => {
  test.prop([sipUriPartsArbitrary()], RUNS)(
    'parseUri(formatUri(uri)) keeps every part',
    (parts) => {
      const text = formatUri({ ...parts, raw: '' });
      expect(uriShape(parseUri(text))).toEqual(parts);
    },
  );

  test.prop([nameAddrPartsArbitrary], RUNS)(
    'parseNameAddr(formatNameAddr(value)) keeps every part',
    (parts) => {
      const value = nameAddrOf(parts);
      const text = formatNameAddr(value);
      expect(nameAddrShape(parseNameAddr(text))).toEqual(nameAddrShape(value));
      expect(formatNameAddr(parseNameAddr(text))).toBe(text);
    },
  );
});
