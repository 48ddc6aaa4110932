import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Digest algorithms the demo registrar offers (RFC 8760 adds SHA-256 to RFC 3261 §22.4's MD5). */
export type DigestAlgorithm = 'MD5' | 'SHA-256';

const HASH_NAME: Record<DigestAlgorithm, string> = { MD5: 'md5', 'SHA-256': 'sha256' };

function hash(algorithm: DigestAlgorithm, text: string): string {
  return createHash(HASH_NAME[algorithm]).update(text, 'utf8').digest('hex');
}

/** The parameters of a `Digest` Authorization value (RFC 3261 §25.1 `digest-response`). */
export function parseDigestParams(value: string): Map<string, string> | undefined {
  const trimmed = value.trimStart();
  if (!/^digest\s/i.test(trimmed)) return undefined;
  const params = new Map<string, string>();
  let i = 6;
  const text = trimmed;
  while (i < text.length) {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === ',')) i++;
    const nameStart = i;
    while (i < text.length && text[i] !== '=' && text[i] !== ',') i++;
    const name = text.slice(nameStart, i).trim().toLowerCase();
    if (text[i] !== '=') {
      if (name !== '') params.set(name, '');
      continue;
    }
    i++;
    while (text[i] === ' ' || text[i] === '\t') i++;
    let paramValue = '';
    if (text[i] === '"') {
      i++;
      while (i < text.length && text[i] !== '"') {
        if (text[i] === '\\' && i + 1 < text.length) i++;
        paramValue += text[i];
        i++;
      }
      i++;
    } else {
      const valueStart = i;
      while (i < text.length && text[i] !== ',') i++;
      paramValue = text.slice(valueStart, i).trim();
    }
    if (name !== '') params.set(name, paramValue);
  }
  return params;
}

/**
 * Stateless nonces: `timestamp.random.hmac`, so the registrar keeps no per-challenge state
 * a flood could grow, and a stale nonce is recognised by its timestamp.
 */
export class DigestAuthenticator {
  readonly realm: string;
  readonly #user: string;
  readonly #password: string;
  readonly #secret = randomBytes(32);
  readonly #nonceTtlMs: number;

  constructor(realm: string, user: string, password: string, nonceTtlMs: number = 300_000) {
    this.realm = realm;
    this.#user = user;
    this.#password = password;
    this.#nonceTtlMs = nonceTtlMs;
  }

  #sign(stamp: string): string {
    return createHmac('sha256', this.#secret).update(stamp).digest('hex').slice(0, 32);
  }

  newNonce(now: number = Date.now()): string {
    const stamp = `${now.toString(16)}.${randomBytes(8).toString('hex')}`;
    return `${stamp}.${this.#sign(stamp)}`;
  }

  #nonceIsFresh(nonce: string, now: number): boolean {
    const lastDot = nonce.lastIndexOf('.');
    if (lastDot < 0) return false;
    const stamp = nonce.slice(0, lastDot);
    const expected = Buffer.from(this.#sign(stamp));
    const given = Buffer.from(nonce.slice(lastDot + 1));
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return false;
    const issuedAt = Number.parseInt(stamp.split('.')[0] ?? '', 16);
    return Number.isFinite(issuedAt) && now - issuedAt >= 0 && now - issuedAt < this.#nonceTtlMs;
  }

  /** WWW-Authenticate values, SHA-256 first as RFC 8760 §2.4 recommends. */
  challenges(stale = false): string[] {
    return (['SHA-256', 'MD5'] as const).map(
      (algorithm) =>
        `Digest realm="${this.realm}", nonce="${this.newNonce()}", algorithm=${algorithm}, qop="auth"${stale ? ', stale=true' : ''}`,
    );
  }

  /**
   * Checks an Authorization value for `method` (RFC 3261 §22.4, RFC 2617 §3.2.2 with qop=auth).
   * @returns 'ok', 'stale' (right credentials, expired nonce) or 'invalid'
   */
  verify(
    authorization: string,
    method: string,
    now: number = Date.now(),
  ): 'ok' | 'stale' | 'invalid' {
    const params = parseDigestParams(authorization);
    if (params === undefined) return 'invalid';
    const algorithmName = (params.get('algorithm') ?? 'MD5').toUpperCase();
    const algorithm: DigestAlgorithm | undefined =
      algorithmName === 'MD5' ? 'MD5' : algorithmName === 'SHA-256' ? 'SHA-256' : undefined;
    const username = params.get('username');
    const realm = params.get('realm');
    const nonce = params.get('nonce');
    const uri = params.get('uri');
    const response = params.get('response');
    if (algorithm === undefined || username !== this.#user || realm !== this.realm)
      return 'invalid';
    if (nonce === undefined || uri === undefined || response === undefined) return 'invalid';
    const ha1 = hash(algorithm, `${username}:${realm}:${this.#password}`);
    const ha2 = hash(algorithm, `${method}:${uri}`);
    const qop = params.get('qop');
    const expected =
      qop === undefined
        ? hash(algorithm, `${ha1}:${nonce}:${ha2}`)
        : hash(
            algorithm,
            `${ha1}:${nonce}:${params.get('nc') ?? ''}:${params.get('cnonce') ?? ''}:${qop}:${ha2}`,
          );
    if (expected !== response.toLowerCase()) return 'invalid';
    return this.#nonceIsFresh(nonce, now) ? 'ok' : 'stale';
  }
}

/** Computes a client's Digest response, for tests and the `request` command. */
export function digestResponse(options: {
  algorithm: DigestAlgorithm;
  username: string;
  password: string;
  realm: string;
  nonce: string;
  method: string;
  uri: string;
  nc?: string;
  cnonce?: string;
  qop?: string;
}): string {
  const ha1 = hash(options.algorithm, `${options.username}:${options.realm}:${options.password}`);
  const ha2 = hash(options.algorithm, `${options.method}:${options.uri}`);
  if (options.qop === undefined) return hash(options.algorithm, `${ha1}:${options.nonce}:${ha2}`);
  return hash(
    options.algorithm,
    `${ha1}:${options.nonce}:${options.nc ?? ''}:${options.cnonce ?? ''}:${options.qop}:${ha2}`,
  );
}
