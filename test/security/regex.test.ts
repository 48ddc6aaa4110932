/**
 * No ReDoS: every regular expression in the core (src/codes, src/message, src/parse, src/digest)
 * is found by
 * reading the source files as text, must appear in the inventory below with the reason it is
 * safe, and must pass the static audit of test/security/regex-audit.ts (no nested or
 * overlapping quantifiers, no unanchored leading repeat that can fail). The parser's hot path
 * uses none: it scans bytes with lookup tables.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildResponse } from '../../src/message/index.js';
import { makeRequest } from '../message/support.js';
import { auditRegex, findRegexes, parseRegex, type RegexOccurrence } from './regex-audit.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CORE = ['src/codes', 'src/message', 'src/parse', 'src/digest'];

function sourceFiles(folder: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(folder).sort()) {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (name.endsWith('.ts')) out.push(path);
  }
  return out;
}

function coreRegexes(): RegexOccurrence[] {
  return CORE.flatMap((folder) =>
    sourceFiles(join(ROOT, folder)).flatMap((path) =>
      findRegexes(readFileSync(path, 'utf8'), relative(ROOT, path).replaceAll('\\', '/')),
    ),
  );
}

/** Why a regex is safe, and whether it sees input (network bytes or a caller's values). */
interface InventoryEntry {
  readonly file: string;
  readonly source: string;
  readonly flags: string;
  readonly inputPath: boolean;
  readonly why: string;
  /** Audit findings accepted, with the bound that makes them harmless. */
  readonly accepted?: readonly string[];
}

/** Every regular expression of the core. A new one fails the test until it is listed here. */
const INVENTORY: readonly InventoryEntry[] = [
  {
    file: 'src/message/apply-rules.ts',
    source: '[ \\t]',
    flags: '',
    inputPath: true,
    why: 'one character class, no quantifier: split() on a Timestamp value is a single linear pass',
  },
  {
    file: 'src/message/copy-request.ts',
    source: '[ \\t]',
    flags: '',
    inputPath: true,
    why: 'one character class, no quantifier: split(…, 1) on the request Timestamp stops at the first blank',
  },
  {
    file: 'src/message/copy-request.ts',
    source: '\\.?0+$',
    flags: '',
    inputPath: true,
    why: 'runs on Number.prototype.toFixed(3) of a delay below 1e12 (checked before): at most 16 characters, so the quadratic search is bounded by a constant',
    accepted: ['unanchored-leading-repeat'],
  },
  {
    file: 'src/message/response-options.ts',
    source: '^[A-Za-z_$][A-Za-z0-9_$]*$',
    flags: '',
    inputPath: false,
    why: 'anchored at both ends with one repeated class: linear; it only formats header names of the status-code table for error advice',
  },
  {
    file: 'src/message/rule-issues.ts',
    source: '^[AEIOU]',
    flags: '',
    inputPath: false,
    why: 'anchored, no quantifier; picks "a" or "an" for table header names',
  },
  {
    file: 'src/message/request-facts.ts',
    source: 'sips:',
    flags: 'i',
    inputPath: true,
    why: 'a literal of five characters, no quantifier: at most five comparisons per position',
  },
  {
    file: 'src/message/serialize.ts',
    source: '^SIP\\/[0-9]+\\.[0-9]+$',
    flags: 'i',
    inputPath: true,
    why: 'anchored; the two digit runs are separated by a literal "." they cannot match, so each character is tried once',
  },
  {
    file: 'src/message/validate.ts',
    source: '^sips?:',
    flags: 'i',
    inputPath: true,
    why: 'anchored, no unbounded quantifier: reads at most five characters',
  },
  {
    file: 'src/message/multipart/parse.ts',
    source: '^<(.*)>$',
    flags: '',
    inputPath: true,
    why: 'anchored at both ends with one repeat: a single linear pass over one Content-ID value of a part',
  },
  {
    file: 'src/message/multipart/parse.ts',
    source: '\\r\\n[ \\t]',
    flags: 'g',
    inputPath: true,
    why: 'fixed three-character pattern, no quantifier: unfolds one part header field in a linear pass',
  },
  {
    file: 'src/message/multipart/parse.ts',
    source: '[\\r\\n]',
    flags: '',
    inputPath: true,
    why: 'one character class, no quantifier: looks for a bare CR or LF in a part header field',
  },
  {
    file: 'src/message/multipart/build.ts',
    source: '[\\r\\n]',
    flags: '',
    inputPath: true,
    why: "one character class, no quantifier: refuses CR or LF in a caller's part header value",
  },
  {
    file: 'src/digest/header-values.ts',
    source: '^(true|false)$',
    flags: 'i',
    inputPath: true,
    why: 'anchored alternation of two literals, no quantifier: checks one stale value',
  },
  {
    file: 'src/digest/server.ts',
    source: '[\\r\\n]',
    flags: '',
    inputPath: false,
    why: "one character class, no quantifier: checks the server's own realm option",
  },
  {
    file: 'src/digest/client.ts',
    source: '[\\r\\n"\\\\]',
    flags: '',
    inputPath: false,
    why: "one character class, no quantifier: checks the client's own cnonce option",
  },
  {
    file: 'src/digest/nonce.ts',
    source: '^[0-9a-f]+$',
    flags: '',
    inputPath: true,
    why: 'anchored at both ends with one repeated class: linear over a nonce a peer sent back',
  },
  {
    file: 'src/message/conformance.ts',
    source:
      '^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), \\d{2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \\d{4} \\d{2}:\\d{2}:\\d{2} (\\S+)$',
    flags: 'i',
    inputPath: true,
    why: 'anchored at both ends; fixed-width fields and disjoint three-letter alternatives, then one run of non-blanks to the end: each character is tried once',
  },
];

const key = (entry: { file: string; source: string; flags: string }): string =>
  `${entry.file} /${entry.source}/${entry.flags}`;

describe('the regular expressions of the core', () => {
  const found = coreRegexes();

  it('are all literals: no RegExp constructor, no string pattern given to match or search', () => {
    expect(found.filter((occurrence) => occurrence.kind !== 'literal')).toEqual([]);
  });

  it('are exactly the inventory, each listed with why it is safe', () => {
    expect(found.map(key).sort()).toEqual(INVENTORY.map(key).sort());
  });

  it('none is used by the parser (src/parse scans bytes with tables)', () => {
    expect(found.filter((occurrence) => occurrence.file.startsWith('src/parse/'))).toEqual([]);
  });

  it.each(INVENTORY.map((entry) => [key(entry), entry] as const))(
    '%s passes the audit',
    (_name, entry) => {
      expect(auditRegex(entry.source, entry.flags)).toEqual([...(entry.accepted ?? [])].sort());
    },
  );
});

describe('auditRegex', () => {
  it.each([
    ['(a+)+', ['nested']],
    ['(\\s*x\\s*)*', ['nested']],
    ['^(?:\\d+)*$', ['nested']],
    ['^(a|a)*$', ['overlapping-alternation']],
    ['^(a|ab)+$', ['overlapping-alternation']],
    ['^(\\s|\\t)+$', ['overlapping-alternation']],
    ['^\\s*\\s*$', ['overlapping-adjacent']],
    ['^a\\s*,?\\s*b$', ['overlapping-adjacent']],
    ['^[ \\t]+[\\t]*x', ['overlapping-adjacent']],
    // The trim buildResponse used until this audit: quadratic on a long inner run of blanks.
    ['^[ \\t]+|[ \\t]+$', ['unanchored-leading-repeat']],
    ['\\s+x', ['unanchored-leading-repeat']],
    ['(?:a+){2,5}', ['nested']],
  ])('flags /%s/', (source, risks) => {
    expect(auditRegex(source)).toEqual(risks);
  });

  it.each([
    '^a+$',
    '^[A-Z][a-z]*$',
    '[ \\t]',
    '^SIP\\/[0-9]+\\.[0-9]+$',
    '^sips?:',
    '^(?:ab)*$',
    '^(?:a|b)+$',
    'branch=[^;,\\s]+',
    'a+',
    '^\\d{3}$',
    ';rport(?=;|$)',
    '^\\[|\\]$',
  ])('accepts /%s/', (source) => {
    expect(auditRegex(source)).toEqual([]);
  });

  it('reads case-insensitive classes as both cases', () => {
    expect(auditRegex('^[a-z]+[A-Z]*$', 'i')).toEqual(['overlapping-adjacent']);
    expect(auditRegex('^[a-z]+[A-Z]*$')).toEqual([]);
  });

  it('refuses syntax it does not know instead of skipping it', () => {
    expect(() => parseRegex('(?<x')).toThrow(/cannot read/);
    expect(() => parseRegex('a)')).toThrow(/unbalanced/);
  });
});

describe('findRegexes', () => {
  it('finds literals and constructors, not division, comments, strings or templates', () => {
    const text = [
      'const a = b / c / d;',
      '// const e = /comment/;',
      "const f = '/string/';",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: source text holding a template literal
      'const g = `/template/${h / 2}/`;',
      'if (x) return /re[/]x/gi.test(y);',
      'const z = new RegExp(pattern, "u");',
      "s.match('text');",
      's.match(/ok/);',
    ].join('\n');
    expect(
      findRegexes(text, 'f.ts').map(({ line, source, flags, kind }) => [line, kind, source, flags]),
    ).toEqual([
      [5, 'literal', 're[/]x', 'gi'],
      [6, 'constructor', '(pattern, "u")', ''],
      [7, 'string-pattern', "('text')", ''],
      [8, 'literal', 'ok', ''],
    ]);
  });
});

describe('buildResponse trims option values without a regular expression', () => {
  // RFC 3261 §7.3.1: surrounding whitespace is not part of a value. The old /[ \t]+$/ trim
  // took minutes on this value (quadratic in the run of blanks); the scan takes milliseconds.
  it('keeps a value with a megabyte of inner blanks whole, trimming only its ends', () => {
    const inner = ' '.repeat(1 << 20);
    const { response } = buildResponse(makeRequest('INVITE'), 486, {
      headers: { 'X-Note': ` \t a${inner}b\t ` },
    });
    const note = response.headers.find((field) => field.name === 'X-Note');
    expect(note?.value.length).toBe(inner.length + 2);
    expect(note?.value.startsWith('a ')).toBe(true);
    expect(note?.value.endsWith(' b')).toBe(true);
  });

  it('trims SP and HTAB only', () => {
    const { response } = buildResponse(makeRequest('INVITE'), 486, {
      headers: { 'X-Note': '\t x y \t' },
    });
    expect(response.headers.find((field) => field.name === 'X-Note')?.value).toBe('x y');
  });
});
