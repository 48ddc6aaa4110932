import { describe, expect, it } from 'vitest';
import {
  MANAGED_HEADERS,
  MANDATORY_HEADERS,
  REQUEST_ONLY_HEADERS,
} from '../../src/message/header-roles.js';
import { headerDefinition } from '../../src/message/index.js';

describe('header roles', () => {
  it('names only headers of the header table, in their canonical spelling', () => {
    for (const name of [
      ...MANAGED_HEADERS,
      ...REQUEST_ONLY_HEADERS,
      ...MANDATORY_HEADERS.request,
    ]) {
      expect(headerDefinition(name)?.name).toBe(name);
    }
  });

  it('keeps request-only and managed headers apart', () => {
    expect(
      REQUEST_ONLY_HEADERS.filter((name) => (MANAGED_HEADERS as readonly string[]).includes(name)),
    ).toEqual([]);
  });

  it('makes the response mandatory headers those of a request minus Max-Forwards (RFC 3261 §8.1.1, §8.2.6.2)', () => {
    expect(MANDATORY_HEADERS.request.filter((name) => name !== 'Max-Forwards')).toEqual(
      MANDATORY_HEADERS.response,
    );
  });
});
