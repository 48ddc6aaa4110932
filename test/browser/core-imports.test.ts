/**
 * No Node API may reach the browser bundle: starting from the core's entry points in dist/,
 * follow every import and fail on `Buffer`, `process`, `require(`, a `node:` import or any
 * bare import (the core has no dependencies).
 */
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, REPO_ROOT } from '../package/harness.js';

const DIST = join(REPO_ROOT, 'dist');
const CORE_ENTRIES = [
  'index.js',
  'codes/index.js',
  'message/index.js',
  'parse/index.js',
  'transaction/index.js',
  'digest/index.js',
];

/** The import specifiers of an ES module: static, re-export, side-effect and dynamic forms. */
function importSpecifiers(code: string): string[] {
  const found: string[] = [];
  const patterns = [
    /\b(?:import|export)\s[^'";]*?\bfrom\s*(['"])([^'"]+)\1/g,
    /\bimport\s*(['"])([^'"]+)\1/g,
    /\bimport\s*\(\s*(['"])([^'"]+)\1\s*\)/g,
  ];
  for (const pattern of patterns) {
    for (const match of code.matchAll(pattern)) {
      const specifier = match[2];
      if (specifier !== undefined) found.push(specifier);
    }
  }
  return found;
}

/**
 * JavaScript with comments and the contents of string and template literals blanked out, so a
 * word in an error message or a comment ("process the request") is not taken for code.
 * Regular-expression literals are left as they are.
 */
function codeOnly(source: string): string {
  let out = '';
  let i = 0;
  while (i < source.length) {
    const char = source[i];
    const next = source[i + 1];
    if (char === '/' && next === '/') {
      while (i < source.length && source[i] !== '\n') i++;
    } else if (char === '/' && next === '*') {
      const end = source.indexOf('*/', i + 2);
      i = end === -1 ? source.length : end + 2;
      out += ' ';
    } else if (char === '"' || char === "'" || char === '`') {
      out += `${char}${char}`;
      i++;
      while (i < source.length && source[i] !== char) {
        if (source[i] === '\\') i++;
        else if (char === '`' && source[i] === '$' && source[i + 1] === '{') {
          // keep the code inside ${…}: it can name Buffer or process too
          let depth = 1;
          i += 2;
          out += ' ';
          while (i < source.length && depth > 0) {
            if (source[i] === '{') depth++;
            else if (source[i] === '}') depth--;
            if (depth > 0) out += source[i];
            i++;
          }
          continue;
        }
        i++;
      }
      i++;
    } else {
      out += char;
      i++;
    }
  }
  return out;
}

/**
 * Global names the core must not use. A property (`message.require`) or an accessor named like
 * one (`get require()`) is not the global, so a preceding `.`, `get` or `set` does not count.
 */
const FORBIDDEN: readonly RegExp[] = [
  /(?<![.\w$])Buffer\b/,
  /(?<![.\w$])process\b/,
  /(?<![.\w$]|\bget |\bset )require\s*\(/,
  /(?<![.\w$])__(dir|file)name\b/,
];

/** Every file reachable from the entries through relative imports, relative to dist/. */
function reachable(entries: readonly string[]): Map<string, string[]> {
  const seen = new Map<string, string[]>();
  const queue = entries.map((entry) => join(DIST, entry));
  for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
    const key = relative(DIST, file);
    if (seen.has(key)) continue;
    const specifiers = importSpecifiers(readFileSync(file, 'utf8'));
    seen.set(key, specifiers);
    for (const specifier of specifiers) {
      if (specifier.startsWith('./') || specifier.startsWith('../')) {
        queue.push(resolve(dirname(file), specifier));
      }
    }
  }
  return seen;
}

describe('codeOnly and importSpecifiers', () => {
  it('blank comments and strings but keep template expressions and imports', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: JavaScript source under test, not a template
    const code = 'const a = "process"; // Buffer\n/* require( */ const b = `x${process.env}`;';
    expect(codeOnly(code)).not.toMatch(/Buffer|require/);
    expect(codeOnly(code)).toMatch(/\bprocess\.env/);
    expect(codeOnly('const a = "process";')).not.toMatch(/process/);
    const hits = (code: string): number => FORBIDDEN.filter((word) => word.test(code)).length;
    expect(hits('get require() { return this.x; }')).toBe(0);
    expect(hits('const r = message.require(1); const p = state.process;')).toBe(0);
    expect(hits('const fs = require("fs");')).toBe(1);
    expect(hits('if (typeof process !== "undefined") Buffer.from(x);')).toBe(2);
    expect(
      importSpecifiers(
        "import { a } from './a.js';\nexport * from \"../b.js\";\nimport 'node:fs';\nconst c = await import('./c.js');",
      ).sort(),
    ).toEqual(['../b.js', './a.js', './c.js', 'node:fs']);
  });
});

describe('the browser bundle of dist/ (codes, message, parse, digest)', () => {
  let files: Map<string, string[]>;

  beforeAll(async () => {
    await ensureBuilt();
    files = reachable(CORE_ENTRIES);
  }, 120_000);

  it('reaches only codes, message, parse, digest and the shared errors module', () => {
    const outside = [...files.keys()].filter(
      (file) =>
        !/^(index\.js|errors\.js|(codes|message|parse|transaction|digest)\/.+\.js)$/.test(file),
    );
    expect(outside).toEqual([]);
    expect(files.size).toBeGreaterThan(20);
  });

  it('imports nothing but its own files: no node: module, no package', () => {
    const bare = [...files].flatMap(([file, specifiers]) =>
      specifiers
        .filter((specifier) => !specifier.startsWith('./') && !specifier.startsWith('../'))
        .map((specifier) => `${file}: ${specifier}`),
    );
    expect(bare).toEqual([]);
  });

  it('never names Buffer, process, require(, __dirname or __filename', () => {
    const offences: string[] = [];
    for (const file of files.keys()) {
      const code = codeOnly(readFileSync(join(DIST, file), 'utf8'));
      for (const word of FORBIDDEN) {
        const match = word.exec(code);
        if (match !== null) offences.push(`${file}: ${match[0]}`);
      }
    }
    expect(offences).toEqual([]);
  });
});
