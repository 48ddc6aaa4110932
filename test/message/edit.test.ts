import { describe, expect, it } from 'vitest';
import {
  buildRequest,
  ComposeError,
  getHeader,
  parseDatagram,
  serialize,
  validate,
  withBody,
  withHeader,
  withoutHeader,
} from '../../src/index.js';

const request = buildRequest('MESSAGE', 'sip:bob@biloxi.example.com', {
  via: { host: 'pc33.atlanta.example.com' },
  branch: 'z9hG4bK1',
  fromTag: 'f',
  callId: 'c@h',
  headers: { Subject: 'first' },
});

function composeCode(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof ComposeError) return error.code;
    throw error;
  }
  return undefined;
}

describe('withHeader', () => {
  it('replaces every field of the header in place, found by its compact form', () => {
    const edited = withHeader(request, 's', 'second');
    expect(getHeader(edited, 'Subject')).toBe('second');
    expect(edited.headers.map((field) => field.name)).toEqual(
      request.headers.map((field) => field.name),
    );
    expect(getHeader(request, 'Subject')).toBe('first');
    expect(Object.isFrozen(edited)).toBe(true);
  });

  it('appends a header the message lacks, under its canonical name', () => {
    const edited = withHeader(request, 'k', ['100rel', 'timer']);
    expect(edited.headers.slice(-2)).toEqual([
      { name: 'Supported', value: '100rel' },
      { name: 'Supported', value: 'timer' },
    ]);
  });

  it('refuses injection, bad names, repeated single headers and Content-Length', () => {
    expect(() => withHeader(request, 'Subject', 'a\r\nVia: x')).toThrowErrorMatchingInlineSnapshot(
      `[ComposeError: Cannot build edited message: the value of Subject holds CR, LF or a control character (RFC 3261 §7.3.1, §25.1); remove line breaks and control characters; one header per value]`,
    );
    expect(composeCode(() => withHeader(request, 'Subject', 'a\u0000b'))).toBe(
      'INVALID_HEADER_VALUE',
    );
    expect(composeCode(() => withHeader(request, 'Call-ID', ['a', 'b']))).toBe(
      'INVALID_HEADER_VALUE',
    );
    expect(() => withHeader(request, 'Bad:Name', 'x')).toThrowErrorMatchingInlineSnapshot(
      `[ComposeError: Cannot build edited message: the header name "Bad:Name" is not a token (RFC 3261 §7.3, §25.1)]`,
    );
    expect(composeCode(() => withHeader(request, 'l', '5'))).toBe('MANAGED_HEADER');
  });
});

describe('withoutHeader', () => {
  it('removes every field of the header, any spelling', () => {
    expect(getHeader(withoutHeader(request, 'SUBJECT'), 'Subject')).toBeUndefined();
    expect(composeCode(() => withoutHeader(request, ''))).toBe('INVALID_HEADER_NAME');
  });
});

describe('withBody', () => {
  it('sets the body and its type; Content-Length is always the byte count', () => {
    const parsed = parseDatagram(serialize(withBody(request, 'hé', 'text/plain')));
    const edited = withBody(parsed, 'héllo wörld');
    expect(getHeader(edited, 'Content-Length')).toBeUndefined();
    expect(getHeader(edited, 'Content-Type')).toBe('text/plain');
    const reparsed = parseDatagram(serialize(edited));
    expect(getHeader(reparsed, 'Content-Length')).toBe('13');
    expect(validate(reparsed).filter((issue) => issue.severity === 'MUST')).toEqual([]);
  });

  it('drops the Content-Type with an empty body, and asks for one with a new body', () => {
    const typed = withBody(request, 'x', 'text/plain');
    expect(getHeader(withBody(typed, ''), 'Content-Type')).toBeUndefined();
    expect(composeCode(() => withBody(request, 'x'))).toBe('MISSING_CONTENT_TYPE');
    expect(composeCode(() => withBody(request, 'x', 'nonsense'))).toBe('INVALID_OPTION');
  });
});
