import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { computeDigestResponse, computeHa1, DigestError } from '../../src/digest/index.js';

/** RFC 7616 §3.9.1: the example with SHA-256 and MD5 over the same inputs. */
const RFC7616 = {
  username: 'Mufasa',
  password: 'Circle of Life',
  realm: 'http-auth@example.org',
  nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v',
  method: 'GET',
  uri: '/dir/index.html',
  qop: 'auth',
  nc: 1,
  cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
} as const;

describe('computeDigestResponse', () => {
  it('reproduces the RFC 7616 §3.9.1 SHA-256 response', async () => {
    await expect(computeDigestResponse({ ...RFC7616, algorithm: 'SHA-256' })).resolves.toBe(
      '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1',
    );
  });

  it('reproduces the RFC 7616 §3.9.1 MD5 response', async () => {
    await expect(computeDigestResponse({ ...RFC7616, algorithm: 'MD5' })).resolves.toBe(
      '8ca523f5e9506fed4657c9700eebdbec',
    );
  });

  it('reproduces the RFC 2617 §3.5 response (the MD5 example RFC 3261 §22.4 builds on)', async () => {
    await expect(
      computeDigestResponse({
        algorithm: 'MD5',
        username: 'Mufasa',
        password: 'Circle Of Life',
        realm: 'testrealm@host.com',
        nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093',
        method: 'GET',
        uri: '/dir/index.html',
        qop: 'auth',
        nc: 1,
        cnonce: '0a4f113b',
      }),
    ).resolves.toBe('6629fae49393a05397450978507c4ef1');
  });

  it('computes a SIP REGISTER without qop as RFC 3261 §22.4 (RFC 2069) defines it', async () => {
    const md5 = (text: string): string => createHash('md5').update(text).digest('hex');
    const ha1 = md5('bob:biloxi.com:zanzibar');
    const ha2 = md5('REGISTER:sips:ss2.biloxi.example.com');
    const expected = md5(`${ha1}:ea9c8e88df84f1cec4341ae6cbe5a359:${ha2}`);
    await expect(
      computeDigestResponse({
        algorithm: 'MD5',
        username: 'bob',
        password: 'zanzibar',
        realm: 'biloxi.com',
        nonce: 'ea9c8e88df84f1cec4341ae6cbe5a359',
        method: 'REGISTER',
        uri: 'sips:ss2.biloxi.example.com',
      }),
    ).resolves.toBe(expected);
  });

  it('hashes the body into HA2 for auth-int and the nonce and cnonce into HA1 for -sess', async () => {
    const sha = (text: string | Uint8Array): string =>
      createHash('sha512-256').update(text).digest('hex');
    const body = new Uint8Array([0, 1, 2, 0xff]);
    const ha1 = sha(`${sha('u:r:p')}:n:c`);
    const ha2 = sha(`INVITE:sip:x@y:${sha(body)}`);
    await expect(
      computeDigestResponse({
        algorithm: 'SHA-512-256-sess',
        username: 'u',
        realm: 'r',
        password: 'p',
        nonce: 'n',
        method: 'INVITE',
        uri: 'sip:x@y',
        qop: 'auth-int',
        nc: 255,
        cnonce: 'c',
        body,
      }),
    ).resolves.toBe(sha(`${ha1}:n:000000ff:c:auth-int:${ha2}`));
  });

  it('gives the same response from a stored HA1 as from the password', async () => {
    const ha1 = await computeHa1('SHA-256', 'Mufasa', RFC7616.realm, RFC7616.password);
    const { password: _, ...rest } = RFC7616;
    await expect(
      computeDigestResponse({ ...rest, ha1: ha1.toUpperCase(), algorithm: 'SHA-256' }),
    ).resolves.toBe('753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1');
  });

  it('rejects inconsistent input with INVALID_DIGEST_OPTION', async () => {
    const base = {
      algorithm: 'MD5',
      username: 'u',
      realm: 'r',
      nonce: 'n',
      method: 'M',
      uri: 'u',
    } as const;
    for (const input of [
      base,
      { ...base, password: 'p', ha1: '00' },
      { ...base, password: 'p', qop: 'auth', nc: 1 } as const,
      { ...base, password: 'p', qop: 'auth', cnonce: 'c' } as const,
      { ...base, password: 'p', algorithm: 'MD5-sess' } as const,
      { ...base, password: 'p', algorithm: 'SHA-1' as 'MD5' },
    ]) {
      const error = await computeDigestResponse(input).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(DigestError);
      expect((error as DigestError).code).toBe('INVALID_DIGEST_OPTION');
    }
  });
});
