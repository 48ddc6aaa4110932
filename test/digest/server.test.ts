import { describe, expect, it, vi } from 'vitest';
import * as compare from '../../src/digest/compare.js';
import {
  answerChallenge,
  computeHa1,
  createChallenges,
  DIGEST_ALGORITHMS,
  DigestError,
  type DigestQop,
  type DigestVerdict,
  parseDigestChallenge,
  type VerifyOptions,
  verifyCredentials,
} from '../../src/digest/index.js';

vi.mock('../../src/digest/compare.js', { spy: true });

const secret = new Uint8Array(32).fill(7);
const NOW = 1_780_000_000_000;
const REQUEST = { method: 'REGISTER', uri: 'sip:example.com' } as const;

function server(extra: Partial<VerifyOptions> = {}): VerifyOptions {
  return {
    realm: 'example.com',
    secret,
    now: NOW,
    lookup: (username) => (username === 'bob' ? { password: 'zanzibar' } : undefined),
    ...extra,
  };
}

async function answered(
  options: VerifyOptions,
  request: { method: string; uri: string; body?: Uint8Array } = REQUEST,
  password = 'zanzibar',
): Promise<string> {
  const challenges = await createChallenges(options);
  const answer = await answerChallenge(challenges, request, { username: 'bob', password });
  return answer.value;
}

describe('createChallenges', () => {
  it('makes one value per algorithm in the given order, sharing one nonce (RFC 8760 §2.4)', async () => {
    const values = await createChallenges({
      realm: 'example.com',
      secret,
      algorithms: ['SHA-512-256', 'SHA-256', 'MD5'],
      qop: ['auth', 'auth-int'],
      opaque: 'op',
    });
    expect(values).toHaveLength(3);
    const parsed = values.map(parseDigestChallenge);
    expect(parsed.map((challenge) => challenge.algorithm)).toEqual([
      'SHA-512-256',
      'SHA-256',
      'MD5',
    ]);
    expect(new Set(parsed.map((challenge) => challenge.nonce)).size).toBe(1);
    expect(parsed[0]).toMatchObject({
      realm: 'example.com',
      opaque: 'op',
      qop: ['auth', 'auth-int'],
      stale: false,
    });
    expect(parsed[0]?.nonce).toMatch(/^[0-9a-f]{72}$/);
  });

  it('defaults to SHA-256 then MD5 with qop=auth, and writes stale=true when asked', async () => {
    const values = await createChallenges({ realm: 'r', secret, stale: true });
    expect(values.map((value) => value.replace(/nonce="\w+"/, 'nonce="…"'))).toEqual([
      'Digest realm="r", nonce="…", stale=true, algorithm=SHA-256, qop="auth"',
      'Digest realm="r", nonce="…", stale=true, algorithm=MD5, qop="auth"',
    ]);
  });

  it('makes a new nonce each time', async () => {
    const [a] = await createChallenges({ realm: 'r', secret });
    const [b] = await createChallenges({ realm: 'r', secret });
    expect(a).not.toBe(b);
  });

  it.each([
    ['realm', { realm: '' }],
    ['realm', { realm: 'a\nb' }],
    ['secret', { secret: new Uint8Array(15) }],
    ['algorithms', { algorithms: [] }],
    ['algorithms', { algorithms: ['SHA-1' as 'MD5'] }],
    ['nonceLifetimeMs', { nonceLifetimeMs: 0 }],
  ])('rejects an unusable %s with INVALID_DIGEST_OPTION', async (option, extra) => {
    const error = await createChallenges({ realm: 'r', secret, ...extra }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DigestError);
    expect(error).toMatchObject({ code: 'INVALID_DIGEST_OPTION', option });
  });
});

describe('client → server round trips', () => {
  const cases = DIGEST_ALGORITHMS.flatMap((row) =>
    (['auth', 'auth-int', 'none'] as const).map((qop) => [row.name, qop] as const),
  );
  it.each(cases)('%s with qop=%s verifies', async (algorithm, qop) => {
    const options = server({
      algorithms: [algorithm],
      qop: qop === 'none' ? [] : [qop as DigestQop],
    });
    const request = {
      method: 'INVITE',
      uri: 'sip:alice@example.com',
      body: new Uint8Array([1, 0, 255]),
    };
    const challenges = await createChallenges(options);
    const answer = await answerChallenge(challenges, request, {
      username: 'bob',
      password: 'zanzibar',
      qop: 'auth-int',
    });
    expect(answer.algorithm).toBe(algorithm);
    expect(answer.qop).toBe(qop === 'none' ? undefined : qop);
    const verdict = await verifyCredentials(answer.value, request, options);
    expect(verdict).toMatchObject({ status: 'ok', algorithm });
  });

  it('verifies against a stored HA1 as well as a password', async () => {
    const ha1 = { 'SHA-256': await computeHa1('SHA-256', 'bob', 'example.com', 'zanzibar') };
    const options = server({
      algorithms: ['SHA-256'],
      lookup: (username, hash) =>
        username === 'bob' && hash === 'SHA-256' ? { ha1: ha1[hash] } : undefined,
    });
    await expect(
      verifyCredentials(await answered(options), REQUEST, options),
    ).resolves.toMatchObject({
      status: 'ok',
    });
  });

  it('accepts a later nonce count with the same nonce, and the hook can refuse a replay', async () => {
    const seen = new Map<string, number>();
    const options = server({
      checkNonceCount: (nonce, nc) => {
        if ((seen.get(nonce) ?? 0) >= nc) return false;
        seen.set(nonce, nc);
        return true;
      },
    });
    const challenges = await createChallenges(options);
    const first = await answerChallenge(challenges, REQUEST, {
      username: 'bob',
      password: 'zanzibar',
      cnonce: 'c1',
    });
    const second = await answerChallenge(challenges, REQUEST, {
      username: 'bob',
      password: 'zanzibar',
      cnonce: 'c1',
      nc: 2,
    });
    expect((await verifyCredentials(first.value, REQUEST, options)).status).toBe('ok');
    expect((await verifyCredentials(second.value, REQUEST, options)).status).toBe('ok');
    expect(await verifyCredentials(first.value, REQUEST, options)).toMatchObject({
      status: 'wrong-credentials',
      reason: 'NONCE_COUNT_REPLAYED',
    });
  });
});

describe('verifyCredentials refusals', () => {
  const verdict = async (
    value: string,
    extra: Partial<VerifyOptions> = {},
    request = REQUEST,
  ): Promise<DigestVerdict> => verifyCredentials(value, request, server(extra));

  it('says stale when the nonce has expired but the password is right', async () => {
    const value = await answered(server());
    expect(await verdict(value, { now: NOW + 300_001 })).toMatchObject({
      status: 'stale',
      reason: 'NONCE_EXPIRED',
    });
    expect(await verdict(value, { now: NOW + 300_000 })).toMatchObject({ status: 'ok' });
    expect(await verdict(value, { now: NOW - 1 })).toMatchObject({
      status: 'stale',
      reason: 'NONCE_EXPIRED',
    });
  });

  it('says stale for a nonce another secret or realm issued', async () => {
    const value = await answered(server());
    expect(await verdict(value, { secret: new Uint8Array(32).fill(8) })).toMatchObject({
      status: 'stale',
      reason: 'NONCE_NOT_ISSUED',
    });
    const forged = value.replace(
      /nonce="(\w+)"/,
      (_, nonce: string) => `nonce="${nonce.slice(0, -1)}${nonce.endsWith('0') ? '1' : '0'}"`,
    );
    const reanswered = await answerChallenge(
      `Digest realm="example.com", nonce="${/nonce="(\w+)"/.exec(forged)?.[1]}", algorithm=MD5, qop="auth"`,
      REQUEST,
      { username: 'bob', password: 'zanzibar' },
    );
    expect(await verdict(reanswered.value)).toMatchObject({
      status: 'stale',
      reason: 'NONCE_NOT_ISSUED',
    });
  });

  it('refuses a wrong password', async () => {
    const value = await answered(server(), REQUEST, 'zanzibaR');
    expect(await verdict(value)).toMatchObject({
      status: 'wrong-credentials',
      reason: 'RESPONSE_MISMATCH',
    });
  });

  it('refuses an unknown user, another realm and a missing opaque', async () => {
    const value = await answered(server());
    expect(await verdict(value.replace('username="bob"', 'username="eve"'))).toMatchObject({
      reason: 'UNKNOWN_USER',
    });
    expect(await verdict(value.replace('realm="example.com"', 'realm="other.com"'))).toMatchObject({
      reason: 'REALM_MISMATCH',
    });
    expect(await verdict(value, { opaque: 'o' })).toMatchObject({ reason: 'OPAQUE_MISMATCH' });
  });

  it('refuses a tampered nc, cnonce, uri, method or body', async () => {
    const value = await answered(server({ qop: ['auth-int'] }), {
      ...REQUEST,
      body: new Uint8Array([1]),
    });
    const extra = { qop: ['auth-int'] as const };
    const body = new Uint8Array([1]);
    expect(await verdict(value, extra, { ...REQUEST, body } as typeof REQUEST)).toMatchObject({
      status: 'ok',
    });
    const mismatch = { status: 'wrong-credentials', reason: 'RESPONSE_MISMATCH' };
    expect(
      await verdict(value.replace('nc=00000001', 'nc=00000002'), extra, {
        ...REQUEST,
        body,
      } as typeof REQUEST),
    ).toMatchObject(mismatch);
    expect(
      await verdict(value.replace(/cnonce="\w/, 'cnonce="x'), extra, {
        ...REQUEST,
        body,
      } as typeof REQUEST),
    ).toMatchObject(mismatch);
    expect(
      await verdict(value.replace('uri="sip:example.com"', 'uri="sip:evil.com"'), extra, {
        method: 'REGISTER',
        body,
      } as unknown as typeof REQUEST),
    ).toMatchObject(mismatch);
    expect(
      await verdict(value.replace('uri="sip:example.com"', 'uri="sip:evil.com"'), extra, {
        ...REQUEST,
        body,
      } as typeof REQUEST),
    ).toMatchObject({
      reason: 'URI_MISMATCH',
    });
    expect(
      await verdict(value, extra, {
        ...REQUEST,
        method: 'INVITE',
        body,
      } as unknown as typeof REQUEST),
    ).toMatchObject(mismatch);
    expect(
      await verdict(value, extra, { ...REQUEST, body: new Uint8Array([2]) } as typeof REQUEST),
    ).toMatchObject(mismatch);
  });

  it('calls malformed what does not parse, or uses an algorithm or qop not offered', async () => {
    const value = await answered(server());
    expect(await verdict('Digest username=')).toMatchObject({
      status: 'malformed',
      reason: 'INVALID_CREDENTIALS',
    });
    expect(await verdict('Digest username="a')).toMatchObject({
      status: 'malformed',
      reason: 'INVALID_QUOTED_STRING',
    });
    expect(await verdict(value, { algorithms: ['MD5'] })).toMatchObject({
      status: 'malformed',
      reason: 'UNSUPPORTED_ALGORITHM',
    });
    expect(await verdict(value.replace('algorithm=SHA-256', 'algorithm=SHA-1'))).toMatchObject({
      reason: 'UNSUPPORTED_ALGORITHM',
    });
    expect(await verdict(value, { qop: ['auth-int'] })).toMatchObject({
      status: 'malformed',
      reason: 'UNSUPPORTED_QOP',
    });
    expect(await verdict(value, { qop: [] })).toMatchObject({ reason: 'UNSUPPORTED_QOP' });
    const sess =
      'Digest username="bob", realm="example.com", nonce="n", uri="sip:example.com", response="00", algorithm=MD5-sess';
    expect(await verdict(sess, { algorithms: ['MD5-sess'], qop: [] })).toMatchObject({
      reason: 'INVALID_CREDENTIALS',
    });
  });

  it('compares the response with the constant-time compare, which visits every character', async () => {
    const spy = vi.mocked(compare.constantTimeEqual);
    spy.mockClear();
    const value = await answered(server(), REQUEST, 'wrong');
    await verdict(value);
    const response = /response="(\w+)"/.exec(value)?.[1];
    expect(spy.mock.calls.some(([, given]) => given === response)).toBe(true);
    // no early exit: the result depends on every position, first and last alike
    const expected = 'a'.repeat(64);
    expect(compare.constantTimeEqual(expected, expected)).toBe(true);
    expect(compare.constantTimeEqual(expected, `b${expected.slice(1)}`)).toBe(false);
    expect(compare.constantTimeEqual(expected, `${expected.slice(1)}b`)).toBe(false);
    expect(compare.constantTimeEqual(expected, expected.slice(1))).toBe(false);
    expect(compare.constantTimeEqual(expected, `${expected}a`)).toBe(false);
    expect(compare.constantTimeEqual('', '')).toBe(true);
  });
});

describe('answerChallenge', () => {
  const challenge = (algorithm: string, qop = 'auth'): string =>
    `Digest realm="r", nonce="n-${algorithm}", algorithm=${algorithm}, qop="${qop}"`;

  it('picks the strongest offered algorithm the client supports', async () => {
    const offered = [challenge('MD5'), challenge('SHA-256'), challenge('SHA-512-256')];
    const options = { username: 'u', password: 'p', cnonce: 'c' };
    expect((await answerChallenge(offered, REQUEST, options)).algorithm).toBe('SHA-512-256');
    expect(
      (await answerChallenge(offered, REQUEST, { ...options, algorithms: ['MD5', 'SHA-256'] }))
        .algorithm,
    ).toBe('SHA-256');
    expect((await answerChallenge(offered.slice(0, 1), REQUEST, options)).algorithm).toBe('MD5');
  });

  it('skips other schemes, unknown algorithms or qop and values that do not parse', async () => {
    const answer = await answerChallenge(
      [
        'Basic realm="r"',
        challenge('SHA-1'),
        challenge('SHA-512-256', 'auth-conf'),
        'Digest realm=',
        challenge('MD5'),
      ],
      REQUEST,
      { username: 'u', password: 'p' },
    );
    expect(answer.algorithm).toBe('MD5');
    expect(answer.cnonce).toMatch(/^[0-9a-f]{32}$/);
  });

  it('writes uri, nc, cnonce, qop and echoes opaque (RFC 7616 §3.4)', async () => {
    const answer = await answerChallenge(
      'Digest realm="r", nonce="abc", opaque="xyz", algorithm=MD5, qop="auth-int,auth"',
      { method: 'INVITE', uri: 'sip:bob@r' },
      { username: 'u', password: 'p', cnonce: 'c0', nc: 26 },
    );
    expect(answer.value).toMatch(
      /^Digest username="u", realm="r", nonce="abc", uri="sip:bob@r", response="[0-9a-f]{32}", algorithm=MD5, cnonce="c0", opaque="xyz", qop=auth, nc=0000001a$/,
    );
  });

  it('fails with NO_SUPPORTED_CHALLENGE when nothing is usable, citing a parse problem', async () => {
    const error = await answerChallenge(['Digest realm=', challenge('SHA-1')], REQUEST, {
      username: 'u',
      password: 'p',
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DigestError);
    expect((error as DigestError).code).toBe('NO_SUPPORTED_CHALLENGE');
    expect((error as DigestError).message).toMatchInlineSnapshot(
      `"No usable Digest challenge among 2 values: expected algorithm SHA-512-256, SHA-512-256-sess, SHA-256, SHA-256-sess, MD5, MD5-sess with qop auth or auth-int (or none); one did not parse: Invalid Digest challenge at character 13: expected a token or a quoted string for "realm", found the end of the value"`,
    );
  });

  it.each([
    ['nc', { nc: 0 }],
    ['nc', { nc: 2 ** 32 }],
    ['cnonce', { cnonce: 'a"b' }],
  ])('rejects an unusable %s with INVALID_DIGEST_OPTION', async (option, extra) => {
    const error = await answerChallenge(challenge('MD5'), REQUEST, {
      username: 'u',
      password: 'p',
      ...extra,
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'INVALID_DIGEST_OPTION', option });
  });
});
