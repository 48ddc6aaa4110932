import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  answerChallenge,
  computeDigestResponse,
  createChallenges,
  DIGEST_ERROR_CODES,
  DigestError,
  type DigestErrorCode,
} from '../../src/digest/index.js';
import { isSipError } from '../../src/errors.js';

const REQUEST = { method: 'REGISTER', uri: 'sip:a' } as const;

/** One way to raise each code, with its message pinned once. */
const CASES: Record<DigestErrorCode, [() => Promise<unknown>, string]> = {
  NO_SUPPORTED_CHALLENGE: [
    () =>
      answerChallenge('Digest realm="a", nonce="n", algorithm=SHA-1', REQUEST, {
        username: 'u',
        password: 'p',
      }),
    'No usable Digest challenge among 1 value: expected algorithm SHA-512-256, SHA-512-256-sess, SHA-256, SHA-256-sess, MD5, MD5-sess with qop auth or auth-int (or none)',
  ],
  INVALID_DIGEST_OPTION: [
    () => createChallenges({ realm: 'a', secret: new Uint8Array(8) }),
    'Invalid digest option secret: expected at least 16 random bytes',
  ],
  CRYPTO_UNAVAILABLE: [
    () => {
      vi.stubGlobal('crypto', undefined);
      return createChallenges({ realm: 'a', secret: new Uint8Array(32) });
    },
    'Web Crypto is not available: globalThis.crypto.getRandomValues is missing; use Node ≥ 20.19 or a browser',
  ],
};

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('DigestError', () => {
  it('has a case for every code', () => {
    expect(Object.keys(CASES).sort()).toEqual([...DIGEST_ERROR_CODES].sort());
  });

  it.each(Object.entries(CASES))(
    '%s is raised as a rejected Promise',
    async (code, [run, message]) => {
      const error = await run().catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(DigestError);
      expect(isSipError(error)).toBe(true);
      expect({
        code: (error as DigestError).code,
        message: (error as DigestError).message,
      }).toEqual({
        code,
        message,
      });
    },
  );

  it('reports a missing SubtleCrypto for SHA-256 but computes MD5 without Web Crypto', async () => {
    vi.stubGlobal('crypto', {});
    const input = {
      username: 'u',
      realm: 'r',
      password: 'p',
      nonce: 'n',
      method: 'M',
      uri: 'u',
    } as const;
    await expect(computeDigestResponse({ ...input, algorithm: 'SHA-256' })).rejects.toMatchObject({
      code: 'CRYPTO_UNAVAILABLE',
    });
    await expect(computeDigestResponse({ ...input, algorithm: 'MD5' })).resolves.toMatch(
      /^[0-9a-f]{32}$/,
    );
  });
});
