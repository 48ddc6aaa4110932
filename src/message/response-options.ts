/**
 * The headers buildResponse takes from its options: `options.headers` checked, and the ones
 * computed from the request and the options (Contact, Allow, Supported, the Unsupported of a
 * 420, `Require: 100rel`, Content-Type and the body), plus the advice its errors give.
 */
import type { HeaderRule } from '../codes/index.js';
import { codeInfo, StatusCode } from '../codes/index.js';
import { isNegativeRule } from './apply-rules.js';
import type { BuildResponseOptions } from './build-response.js';
import { methodsMissingFromAllow } from './dialog.js';
import { BuildError, type Issue } from './errors.js';
import { skipWhitespace, trimEnd } from './fields/charset.js';
import { isToken, parseContentType, parseNameAddr, parseOptionTags } from './fields/index.js';
import { headerDefinition } from './header-names.js';
import { MANAGED_HEADERS, REQUEST_ONLY_HEADERS } from './header-roles.js';
import { getHeaders } from './headers.js';
import { allowIssue } from './rule-issues.js';
import { checkHeaderValue } from './serialize.js';
import type { HeaderField, SipRequest } from './types.js';

const encoder = new TextEncoder();
/**
 * The body of every response built without one: frozen, and with no bytes there is nothing to
 * share. (A new empty Uint8Array costs an ArrayBuffer each time.)
 */
const NO_BODY: Uint8Array<ArrayBuffer> = Object.freeze(new Uint8Array(0));
// Canonical names: every managed and request-only header is a row of the header table
const MANAGED: ReadonlySet<string> = new Set(MANAGED_HEADERS);
const REQUEST_ONLY: ReadonlySet<string> = new Set(REQUEST_ONLY_HEADERS);

/**
 * Strings an option gave that passed their check, and what the check made of them. A server
 * passes the same Contact, Server or Allow on every build: each is checked once, and again only
 * after the cache was cleared. A string's check depends on nothing but the string, so a hit
 * gives what the check would; strings that fail are never kept (their error is made each time).
 */
class CheckedStrings {
  static readonly MAX_ENTRIES = 256;
  readonly #results = new Map<string, string>();

  get(input: string): string | undefined {
    return this.#results.get(input);
  }

  set(input: string, result: string): void {
    if (this.#results.size >= CheckedStrings.MAX_ENTRIES) this.#results.clear();
    this.#results.set(input, result);
  }
}

/** Header values that pass `checkedValue`: raw value → trimmed value. */
const CHECKED_VALUES = new CheckedStrings();
/** Contact values (trimmed) that parse as name-addr or addr-spec: value → value. */
const CHECKED_CONTACTS = new CheckedStrings();
/** Content-Type values (trimmed) that parse as a media type: value → value. */
const CHECKED_MEDIA_TYPES = new CheckedStrings();

/** Option names that produce a header, for the advice in error messages. */
const OPTION_FOR_HEADER: ReadonlyMap<string, string> = new Map([
  ['Allow', 'options.allow'],
  ['Supported', 'options.supported'],
  ['Unsupported', 'options.supported'],
  ['Contact', 'options.contact'],
  ['Content-Type', 'options.contentType'],
  ['To', 'options.toTag'],
]);

/**
 * The facts every BuildError of a build carries: the code and the phrase.
 * @internal
 */
export type Facts = { readonly statusCode: number; readonly reason: string };

/**
 * A BuildError of code INVALID_OPTION.
 * @internal
 */
export function invalidOption(
  facts: Facts,
  problem: string,
  source: string,
  cause?: unknown,
): BuildError {
  return new BuildError('INVALID_OPTION', { ...facts, problem, source }, { cause });
}

/** options.headers → fields, with names and values checked. @internal */
export function readHeaderOptions(options: BuildResponseOptions, facts: Facts): HeaderField[] {
  const fields: HeaderField[] = [];
  const input = options.headers;
  if (input === undefined) return fields;
  for (const [rawName, rawValue] of Object.entries(input)) {
    if (rawValue === undefined) continue;
    if (!isToken(rawName)) {
      throw invalidOption(
        facts,
        `the header name "${rawName}" in options.headers is not a token`,
        'RFC 3261 §25.1',
      );
    }
    const definition = headerDefinition(rawName);
    const name = definition?.name ?? rawName;
    if (MANAGED.has(name)) {
      throw new BuildError('MANAGED_HEADER', {
        ...facts,
        header: name,
        problem: `${name} is copied from the request or computed, not set by the caller`,
        source: 'RFC 3261 §8.2.6.2, §12.1.1, §20.14',
        advice:
          name === 'To'
            ? 'pass options.toTag to choose the To tag'
            : `remove ${name} from options.headers`,
      });
    }
    if (REQUEST_ONLY.has(name)) {
      throw new BuildError('REQUEST_ONLY_HEADER', {
        ...facts,
        header: name,
        problem: `${name} belongs in requests only`,
        source: 'RFC 3261 §20 (Tables 2 and 3)',
        advice: `remove ${name} from options.headers`,
      });
    }
    const values: readonly string[] = typeof rawValue === 'string' ? [rawValue] : rawValue;
    if (values.length > 1 && definition?.kind === 'single') {
      throw invalidOption(
        facts,
        `${name} takes a single value, but options.headers gives ${values.length}`,
        'RFC 3261 §7.3',
      );
    }
    for (const value of values) fields.push({ name, value: checkedValue(value, name, facts) });
  }
  return fields;
}

function checkedValue(value: unknown, header: string, facts: Facts): string {
  if (typeof value !== 'string') {
    throw invalidOption(facts, `the value of ${header} is not a string`, 'RFC 3261 §7.3');
  }
  const known = CHECKED_VALUES.get(value);
  if (known !== undefined) return known;
  // RFC 3261 §7.3.1: surrounding whitespace is not part of a value. Scanned, not matched: the
  // search for /[ \t]+$/ restarts at every blank of a long inner run, which is quadratic.
  const end = trimEnd(value, 0, value.length);
  const trimmed = value.slice(skipWhitespace(value, 0, end), end);
  try {
    checkHeaderValue(trimmed, header);
  } catch (error) {
    throw new BuildError(
      'INVALID_OPTION',
      {
        ...facts,
        header,
        problem: `the value of ${header} holds CR, LF or a control character`,
        source: 'RFC 3261 §7.3.1, §25.1',
        advice: 'remove line breaks and control characters; one header per value',
      },
      { cause: error },
    );
  }
  CHECKED_VALUES.set(value, trimmed);
  return trimmed;
}

/**
 * A BuildError of code CONFLICTING_OPTIONS: one header set by two options.
 * @internal
 */
export function conflict(facts: Facts, header: string, first: string, second: string): BuildError {
  return new BuildError('CONFLICTING_OPTIONS', {
    ...facts,
    header,
    problem: `${header} is given twice, by ${first} and by ${second}`,
    source: 'RFC 3261 §7.3',
    advice: `keep one of ${first} and ${second}`,
  });
}

/**
 * Whether `options.headers` gave a header (canonical name).
 * @internal
 */
export function hasExtra(extra: readonly HeaderField[], name: string): boolean {
  return extra.some((field) => field.name === name);
}

/** Contact, Allow, Supported, Unsupported and Require computed from the options. @internal */
export function addComputedHeaders(
  request: SipRequest,
  code: number,
  options: BuildResponseOptions,
  facts: Facts,
  extra: readonly HeaderField[],
  headers: HeaderField[],
  warnings: Issue[],
): void {
  if (options.contact !== undefined) {
    if (hasExtra(extra, 'Contact'))
      throw conflict(facts, 'Contact', 'options.contact', 'options.headers.Contact');
    const contacts = typeof options.contact === 'string' ? [options.contact] : options.contact;
    for (const contact of contacts) {
      const value = checkedValue(contact, 'Contact', facts);
      if (CHECKED_CONTACTS.get(value) === undefined) {
        try {
          parseNameAddr(value);
        } catch (error) {
          throw invalidOption(
            facts,
            `options.contact "${value}" is not a name-addr or addr-spec`,
            'RFC 3261 §20.10',
            error,
          );
        }
        CHECKED_CONTACTS.set(value, value);
      }
      headers.push({ name: 'Contact', value });
    }
  }
  if (options.allow !== undefined) {
    if (hasExtra(extra, 'Allow'))
      throw conflict(facts, 'Allow', 'options.allow', 'options.headers.Allow');
    headers.push({ name: 'Allow', value: tokenList(options.allow, 'options.allow', facts) });
    const missing = methodsMissingFromAllow(options.allow);
    if (missing.length > 0) warnings.push(allowIssue(missing));
  }
  if (options.supported !== undefined) {
    if (hasExtra(extra, 'Supported'))
      throw conflict(facts, 'Supported', 'options.supported', 'options.headers.Supported');
    headers.push({
      name: 'Supported',
      value: tokenList(options.supported, 'options.supported', facts),
    });
    if (code === StatusCode.BAD_EXTENSION) {
      if (hasExtra(extra, 'Unsupported')) {
        throw conflict(facts, 'Unsupported', 'options.supported', 'options.headers.Unsupported');
      }
      headers.push({
        name: 'Unsupported',
        value: unsupportedTags(request, options, facts).join(', '),
      });
    }
  }
  if (options.reliable === true) addReliable(code, facts, extra, headers);
}

function tokenList(tokens: readonly string[], option: string, facts: Facts): string {
  for (const token of tokens) {
    if (typeof token !== 'string' || !isToken(token)) {
      throw invalidOption(
        facts,
        `${option} holds "${String(token)}", which is not a token`,
        'RFC 3261 §25.1',
      );
    }
  }
  return tokens.join(', ');
}

/**
 * RFC 3261 §8.2.2.3: a UAS's 420 lists exactly the Require option-tags it does not support;
 * §16.3 step 4: a proxy's lists the Proxy-Require ones.
 */
function unsupportedTags(
  request: SipRequest,
  options: BuildResponseOptions,
  facts: Facts,
): string[] {
  const header = options.role === 'proxy' ? 'Proxy-Require' : 'Require';
  // Option-tags are tokens: compared case-insensitively (RFC 3261 §7.3.1).
  const supported = new Set((options.supported ?? []).map((tag) => tag.toLowerCase()));
  const unsupported: string[] = [];
  for (const field of getHeaders(request, header)) {
    let tags: string[];
    try {
      tags = parseOptionTags(field.value);
    } catch (error) {
      throw new BuildError(
        'INVALID_REQUEST',
        {
          ...facts,
          header,
          problem: `the request's ${header} does not parse, so the unsupported option-tags are unknown`,
          source: 'RFC 3261 §20.32',
          advice: 'answer 400 Bad Request instead',
        },
        { cause: error },
      );
    }
    for (const tag of tags) {
      const known = unsupported.some((listed) => listed.toLowerCase() === tag.toLowerCase());
      if (!supported.has(tag.toLowerCase()) && !known) unsupported.push(tag);
    }
  }
  if (unsupported.length === 0) {
    throw new BuildError('NO_UNSUPPORTED_OPTION_TAGS', {
      ...facts,
      header: 'Unsupported',
      problem: `every option-tag of the request's ${header} is in options.supported, so there is nothing to list`,
      source: options.role === 'proxy' ? 'RFC 3261 §16.3' : 'RFC 3261 §8.2.2.3',
      advice: 'process the request instead of answering 420',
    });
  }
  return unsupported;
}

/** RFC 3262 §3: a reliable response is a 101–199 and carries `Require: 100rel`. */
function addReliable(
  code: number,
  facts: Facts,
  extra: readonly HeaderField[],
  headers: HeaderField[],
): void {
  const info = codeInfo(code);
  if (info.statusClass !== 'provisional' || code === StatusCode.TRYING) {
    throw invalidOption(facts, 'only 101–199 responses can be sent reliably', 'RFC 3262 §3');
  }
  const listed = extra.some((field) => {
    if (field.name !== 'Require') return false;
    try {
      return parseOptionTags(field.value).some((tag) => tag.toLowerCase() === '100rel');
    } catch {
      return false;
    }
  });
  if (!listed) headers.push({ name: 'Require', value: '100rel' });
}

/** The last string body encoded, and its bytes: a server often sends one body again and again. */
let lastBodyText = '';
let lastBodyBytes: Uint8Array<ArrayBuffer> = NO_BODY;

/** UTF-8 bytes of a string body, owned by the response (a copy of the cached encoding). */
function encodeBody(text: string): Uint8Array<ArrayBuffer> {
  if (text !== lastBodyText) {
    lastBodyBytes = encoder.encode(text);
    lastBodyText = text;
  }
  return lastBodyBytes.slice();
}

/** The body bytes; adds Content-Type from options.contentType. @internal */
export function bodyOf(
  options: BuildResponseOptions,
  facts: Facts,
  headers: HeaderField[],
  extra: readonly HeaderField[],
): Uint8Array {
  // The response owns its bytes: a caller may reuse its buffer afterwards
  const body =
    options.body === undefined
      ? NO_BODY
      : typeof options.body === 'string'
        ? encodeBody(options.body)
        : options.body.slice();
  if (options.contentType !== undefined) {
    if (hasExtra(extra, 'Content-Type')) {
      throw conflict(
        facts,
        'Content-Type',
        'options.contentType',
        "options.headers['Content-Type']",
      );
    }
    const value = checkedValue(options.contentType, 'Content-Type', facts);
    if (CHECKED_MEDIA_TYPES.get(value) === undefined) {
      try {
        parseContentType(value);
      } catch (error) {
        throw invalidOption(
          facts,
          `options.contentType "${value}" is not a media type`,
          'RFC 3261 §20.15',
          error,
        );
      }
      CHECKED_MEDIA_TYPES.set(value, value);
    }
    headers.push({ name: 'Content-Type', value });
  }
  // RFC 3261 §7.4.1: a non-empty body MUST come with its Content-Type
  if (body.byteLength > 0 && !headers.some((field) => field.name === 'Content-Type')) {
    throw new BuildError('MISSING_CONTENT_TYPE', {
      ...facts,
      header: 'Content-Type',
      problem: 'a non-empty body needs a Content-Type',
      source: 'RFC 3261 §7.4.1',
      advice: 'pass options.contentType',
    });
  }
  return body;
}

function headerOption(header: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(header)
    ? `options.headers.${header}`
    : `options.headers['${header}']`;
}

/** What to pass, for the message of a broken rule. @internal */
export function ruleAdvice(rule: HeaderRule): string {
  const header = rule.header;
  const target = headerOption(header);
  const option = OPTION_FOR_HEADER.get(header);
  const requirement = rule.requirement;
  if (isNegativeRule(rule)) {
    return requirement.kind === 'present'
      ? `leave ${header} out (${option ?? target})`
      : `remove it from ${option ?? target}`;
  }
  switch (requirement.kind) {
    case 'present':
      return `pass ${option === undefined ? target : `${option} or ${target}`}`;
    case 'listsOptionTag':
      return `list "${requirement.optionTag}" in ${target}`;
    case 'paramOnEachValue':
      return `add ;${requirement.param}${requirement.value === undefined ? '=…' : `=${requirement.value}`} to every value of ${option ?? target}`;
    case 'hasTag':
      return 'pass options.toTag';
    case 'copiedFromRequest':
      return `leave ${header} to the builder`;
  }
}
