/**
 * The demo's registrar (RFC 3261 §10.3): Digest challenge when credentials are configured,
 * bindings per address of record with their expiry, 423 below the minimum, `Contact: *` with
 * Expires 0 to remove all, and a cap on bindings per address of record.
 */
import { StatusCode } from '../codes/index.js';
import {
  createChallenges,
  type DigestAlgorithm,
  type DigestVerdict,
  verifyCredentials,
} from '../digest/index.js';
import { parseExpires, parseNameAddr } from '../message/fields/index.js';
import { getHeader, getHeaderValues, type SipRequest } from '../message/index.js';
import type { ServerTransaction } from '../transaction/index.js';
import { BoundedMap } from './bounded-map.js';

/** Option-tags the demo supports: Path (RFC 3327) at the registrar. */
export const SUPPORTED_OPTION_TAGS: readonly string[] = ['path'];

export interface RegistrarOptions {
  /** Shortest registration accepted (423 below it, RFC 3261 §10.3 step 7). */
  readonly minExpires: number;
  /** Longest registration granted. */
  readonly maxExpires: number;
  /** Digest credentials for REGISTER; no challenge when absent. */
  readonly auth?: { readonly user: string; readonly password: string };
  /**
   * The algorithms challenged with, one WWW-Authenticate each, in this order (RFC 8760 §2.4).
   * A client that reads only the first challenge (sipsak) needs one it supports first.
   */
  readonly authAlgorithms?: readonly DigestAlgorithm[];
  /** Addresses of record remembered at once. */
  readonly maxBindings: number;
  /**
   * Bindings one address of record may hold: without a cap, many REGISTERs would make the 200
   * that lists them (RFC 3261 §10.3 step 8) large enough to amplify a spoofed UDP request.
   */
  readonly maxBindingsPerAor: number;
}

interface Binding {
  readonly contact: string;
  readonly expiresAt: number;
}

/** The registrar behind `sipwire serve`. */
export class DemoRegistrar {
  readonly #options: RegistrarOptions;
  readonly #bindings: BoundedMap<string, Binding[]>;
  /** The key nonces are signed with: one per process (digest nonces are stateless). */
  readonly #nonceSecret: Uint8Array = crypto.getRandomValues(new Uint8Array(32));

  constructor(options: RegistrarOptions) {
    this.#options = options;
    this.#bindings = new BoundedMap(options.maxBindings, options.maxExpires * 1000);
  }

  /** Addresses of record with bindings. */
  get size(): number {
    return this.#bindings.size;
  }

  /**
   * Answers a REGISTER transaction: after the Digest check when credentials are configured
   * (asynchronous: SHA-256 and the nonce HMAC come from Web Crypto).
   */
  async register(transaction: ServerTransaction, request: SipRequest): Promise<void> {
    const auth = this.#options.auth;
    if (auth !== undefined) {
      const server = {
        realm: 'sipwire',
        secret: this.#nonceSecret,
        ...(this.#options.authAlgorithms === undefined
          ? {}
          : { algorithms: this.#options.authAlgorithms }),
      };
      const verdicts: DigestVerdict[] = [];
      for (const value of getHeaderValues(request, 'Authorization')) {
        verdicts.push(
          await verifyCredentials(
            value,
            { method: request.method, body: request.body },
            {
              ...server,
              lookup: (username) =>
                username === auth.user ? { password: auth.password } : undefined,
            },
          ),
        );
      }
      if (!verdicts.some((verdict) => verdict.status === 'ok')) {
        // RFC 3261 §22.2: challenge with 401 and WWW-Authenticate, stale=true when only the
        // nonce was old (RFC 7616 §3.3)
        const stale = verdicts.some((verdict) => verdict.status === 'stale');
        transaction.respond(StatusCode.UNAUTHORIZED, {
          headers: { 'WWW-Authenticate': await createChallenges({ ...server, stale }) },
        });
        return;
      }
    }
    const to = parseNameAddr(getHeader(request, 'To') ?? '');
    const aor = to.wildcard ? '' : to.uriText.toLowerCase();
    const expiresHeader = getHeader(request, 'Expires');
    const defaultExpires = expiresHeader === undefined ? 3600 : parseExpires(expiresHeader);
    const contacts = getHeaderValues(request, 'Contact').map((value) => parseNameAddr(value));
    const now = Date.now();
    let bindings = (this.#bindings.get(aor) ?? []).filter((binding) => binding.expiresAt > now);
    if (contacts.some((contact) => contact.wildcard)) {
      // RFC 3261 §10.3 step 6: "*" is only valid alone with Expires: 0.
      if (contacts.length !== 1 || defaultExpires !== 0) {
        transaction.respond(StatusCode.BAD_REQUEST, {
          reason: 'Contact * needs Expires: 0 and no other Contact',
        });
        return;
      }
      bindings = [];
    } else {
      for (const contact of contacts) {
        if (contact.wildcard) continue;
        const expiresParam = contact.params.get('expires');
        const requested = expiresParam === undefined ? defaultExpires : parseExpires(expiresParam);
        if (requested > 0 && requested < this.#options.minExpires) {
          // RFC 3261 §10.3 step 7: too brief, answer 423 with Min-Expires.
          transaction.respond(StatusCode.INTERVAL_TOO_BRIEF, {
            headers: { 'Min-Expires': String(this.#options.minExpires) },
          });
          return;
        }
        const granted = Math.min(requested, this.#options.maxExpires);
        bindings = bindings.filter((binding) => binding.contact !== contact.uriText);
        if (granted > 0)
          bindings.push({ contact: contact.uriText, expiresAt: now + granted * 1000 });
      }
    }
    if (bindings.length > this.#options.maxBindingsPerAor) {
      // Local policy: refuse rather than grow (the request changes no state, §10.3).
      transaction.respond(StatusCode.FORBIDDEN, {
        reason: `Forbidden (at most ${this.#options.maxBindingsPerAor} bindings per address of record)`,
      });
      return;
    }
    if (bindings.length > 0) this.#bindings.set(aor, bindings);
    else this.#bindings.delete(aor);
    // RFC 3261 §10.3 step 8: the 200 lists every current binding with its expires parameter.
    const contactValues = bindings.map(
      (binding) =>
        `<${binding.contact}>;expires=${Math.max(0, Math.round((binding.expiresAt - now) / 1000))}`,
    );
    const path = getHeaderValues(request, 'Path');
    transaction.respond(StatusCode.OK, {
      ...(contactValues.length > 0 ? { contact: contactValues } : {}),
      headers: { ...(path.length > 0 ? { Path: path } : {}), Date: new Date(now).toUTCString() },
      supported: [...SUPPORTED_OPTION_TAGS],
    });
  }
}
