/**
 * Any user, realm, password, method and Request-URI: what answerChallenge writes verifies on
 * the server, for every algorithm and qop; changing any single field afterwards (in the
 * credentials, the request or the server's password) makes verification fail.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import {
  answerChallenge,
  createChallenges,
  DIGEST_ALGORITHMS,
  type DigestAlgorithm,
  type DigestCredentialsInput,
  type DigestQop,
  formatDigestCredentials,
  parseDigestCredentials,
  type VerifyOptions,
  verifyCredentials,
} from '../../src/digest/index.js';

const secret = new Uint8Array(32).fill(42);
/** Text a quoted-string can carry: anything but CR and LF (RFC 3261 §25.1 quoted-pair). */
const text = fc
  .string({ minLength: 1, maxLength: 24, unit: 'grapheme' })
  .filter((s) => !/[\r\n]/.test(s));
const method = fc.stringMatching(/^[A-Z]{1,12}$/);
const uri = fc.stringMatching(/^sips?:[a-z0-9.@;=-]{1,30}$/);

const scenario = fc.record({
  username: text,
  realm: text,
  password: fc.string({ maxLength: 24, unit: 'grapheme' }),
  method,
  uri,
  body: fc.uint8Array({ maxLength: 64 }),
  algorithm: fc.constantFrom<DigestAlgorithm>(...DIGEST_ALGORITHMS.map((row) => row.name)),
  qop: fc.constantFrom<DigestQop | 'none'>('auth', 'auth-int', 'none'),
  nc: fc.integer({ min: 1, max: 0xffffffff }),
});

type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

function serverOptions(s: Scenario, password = s.password): VerifyOptions {
  return {
    realm: s.realm,
    secret,
    algorithms: [s.algorithm],
    qop: s.qop === 'none' ? [] : [s.qop],
    // any user name gets the scenario's password, so a changed name fails on the response
    lookup: () => ({ password }),
  };
}

async function answer(s: Scenario): Promise<string> {
  const challenges = await createChallenges(serverOptions(s));
  const result = await answerChallenge(
    challenges,
    { method: s.method, uri: s.uri, body: s.body },
    {
      username: s.username,
      password: s.password,
      nc: s.nc,
      qop: s.qop === 'auth-int' ? 'auth-int' : 'auth',
    },
  );
  return result.value;
}

/** One field changed, for a value known to differ from the original. */
const mutation = fc.constantFrom(
  'username',
  'realm',
  'nonce',
  'uri',
  'response',
  'cnonce',
  'nc',
  'method',
  'password',
  'body',
);

describe('digest round trip', () => {
  test.prop([scenario], { numRuns: 100 })('the client answer verifies on the server', async (s) => {
    const value = await answer(s);
    const verdict = await verifyCredentials(
      value,
      { method: s.method, uri: s.uri, body: s.body },
      serverOptions(s),
    );
    expect(verdict).toMatchObject({ status: 'ok', algorithm: s.algorithm });
  });

  test.prop([scenario, mutation], { numRuns: 150 })(
    'any single changed field fails verification',
    async (s, field) => {
      const value = await answer(s);
      const parsed = parseDigestCredentials(value);
      let credentials: DigestCredentialsInput = {
        username: parsed.username,
        realm: parsed.realm,
        nonce: parsed.nonce,
        uri: parsed.uri,
        response: parsed.response,
        algorithm: s.algorithm,
        cnonce: parsed.cnonce,
        opaque: parsed.opaque,
        qop: s.qop === 'none' ? undefined : s.qop,
        nc: parsed.nc,
      };
      let request = { method: s.method, uri: s.uri, body: s.body };
      let password = s.password;
      const flip = (value: string): string => `${value}x`;
      switch (field) {
        case 'username':
        case 'realm':
        case 'nonce':
        case 'response':
          credentials = { ...credentials, [field]: flip(credentials[field]) };
          break;
        case 'uri':
          // the server is not told the Request-URI here, so only the response can catch it
          credentials = { ...credentials, uri: flip(credentials.uri) };
          request = { method: s.method, body: s.body } as typeof request;
          break;
        case 'cnonce':
          if (credentials.cnonce === undefined) return; // no cnonce without qop or -sess
          credentials = { ...credentials, cnonce: flip(credentials.cnonce) };
          break;
        case 'nc':
          if (credentials.nc === undefined) return; // no nc without qop
          credentials = { ...credentials, nc: credentials.nc === 1 ? 2 : credentials.nc - 1 };
          break;
        case 'method':
          request = { ...request, method: flip(request.method) };
          break;
        case 'password':
          password = flip(password);
          break;
        case 'body':
          if (s.qop !== 'auth-int') return; // the body is protected by auth-int only
          request = { ...request, body: new Uint8Array([...s.body, 0]) };
          break;
      }
      const verdict = await verifyCredentials(
        formatDigestCredentials(credentials),
        request,
        serverOptions(s, password),
      );
      expect(verdict.status, `${field}: ${JSON.stringify(verdict)}`).not.toBe('ok');
    },
  );
});
