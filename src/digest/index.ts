/**
 * Digest authentication for SIP (RFC 3261 §22, RFC 7616 semantics, RFC 8760 algorithms):
 * challenges with stateless nonces, verification with a typed verdict, and a client that
 * answers the strongest challenge it supports. Browser-safe: Web Crypto for SHA-256 and HMAC,
 * this package's own MD5 and SHA-512/256. Every function that hashes returns a Promise;
 * parsing and formatting are synchronous.
 */
export {
  DIGEST_ALGORITHMS,
  type DigestAlgorithm,
  type DigestHash,
  type DigestQop,
} from './algorithms.js';
export {
  type AnswerOptions,
  answerChallenge,
  type DigestAnswer,
  type DigestRequestTarget,
} from './client.js';
export { computeDigestResponse, computeHa1, type DigestResponseInput } from './compute.js';
export { DIGEST_ERROR_CODES, DigestError, type DigestErrorCode } from './errors.js';
export {
  type DigestChallenge,
  type DigestChallengeInput,
  type DigestCredentials,
  type DigestCredentialsInput,
  formatDigestChallenge,
  formatDigestCredentials,
  parseDigestChallenge,
  parseDigestCredentials,
} from './header-values.js';
export {
  type ChallengeOptions,
  createChallenges,
  type DigestMalformedReason,
  type DigestRequest,
  type DigestSecret,
  type DigestServerOptions,
  type DigestStaleReason,
  type DigestVerdict,
  type DigestWrongReason,
  type VerifyOptions,
  verifyCredentials,
} from './server.js';
