/**
 * The README is checked like code: its ```ts blocks compile against the built package and run
 * with the output the ```text block after them shows; its errors table names every error code
 * of every family; its limits table gives DEFAULT_LIMITS as they are.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STATUS_CODE_ERROR_CODES } from '../../src/codes/index.js';
import { DIGEST_ERROR_CODES } from '../../src/digest/index.js';
import {
  BUILD_ERROR_CODES,
  COMPOSE_ERROR_CODES,
  ISSUE_CODES,
  MULTIPART_ERROR_CODES,
  SERIALIZE_ERROR_CODES,
} from '../../src/message/index.js';
import { DEFAULT_LIMITS, LENIENCIES, PARSE_ERROR_CODES } from '../../src/parse/index.js';
import { TRANSACTION_ERROR_CODES } from '../../src/transaction/index.js';
import {
  compileProject,
  consumerCompilerOptions,
  ensureBuilt,
  linkedProject,
  REPO_ROOT,
  run,
} from '../package/harness.js';

const README = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');

interface Block {
  readonly lang: string;
  readonly code: string;
}

/** Every fenced block, in order. */
function fencedBlocks(markdown: string): Block[] {
  return [...markdown.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map((match) => ({
    lang: match[1] ?? '',
    code: match[2] ?? '',
  }));
}

/** The rows of the markdown table that follows `heading`, as trimmed cells. */
function tableAfter(heading: string): string[][] {
  const start = README.indexOf(heading);
  expect(start, `README has no "${heading}" section`).toBeGreaterThan(-1);
  const rows: string[][] = [];
  for (const line of README.slice(start).split('\n').slice(1)) {
    if (line.startsWith('## ')) break;
    if (!line.startsWith('| ') || line.startsWith('| ---')) continue;
    rows.push(
      line
        .slice(2, -2)
        .split(/(?<!\\)\|/)
        .map((cell) => cell.trim()),
    );
  }
  return rows.slice(1); // the header row
}

/** The To tag is random (RFC 3261 §19.3); everything else must match byte for byte. */
function maskRandomTag(text: string): string {
  return text.replace(/^(To: .*;tag=)[0-9a-f]{16}$/gm, '$1<random>');
}

const blocks = fencedBlocks(README);
const examples = blocks.flatMap((block, index) =>
  block.lang === 'ts' ? [{ code: block.code, output: blocks[index + 1] }] : [],
);

describe('README code blocks', () => {
  let dir: string;

  beforeAll(async () => {
    await ensureBuilt();
    dir = linkedProject('sipwire-readme');
    examples.forEach((example, index) => {
      writeFileSync(join(dir, `example-${index + 1}.ts`), example.code);
    });
    const compiled = await compileProject(
      dir,
      ['*.ts'],
      consumerCompilerOptions({ outDir: 'out', rootDir: '.' }),
    );
    expect(compiled.stdout + compiled.stderr).toBe('');
  }, 120_000);

  afterAll(() => {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it('has at least the 30-second example, each followed by its output', () => {
    expect(examples.length).toBeGreaterThanOrEqual(2);
    for (const example of examples) expect(example.output?.lang).toBe('text');
    expect(examples[0]?.code).toMatch(/buildResponse\(request, 486\)/);
    expect(examples[0]?.code.split('\n').length).toBeLessThanOrEqual(30);
  });

  it.each(examples.map((example, index) => [index + 1, example] as const))(
    'runs block %i as written and prints what the README shows',
    async (index, example) => {
      const result = await run(process.execPath, [`out/example-${index}.js`], { cwd: dir });
      // The wire has CRLF line ends; a README can only show LF.
      const stdout = result.stdout.replace(/\r\n/g, '\n');
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      // Trailing blank lines (the empty line ending a header section) are not visible in a README.
      expect(maskRandomTag(stdout).trimEnd()).toBe(
        maskRandomTag(example.output?.code ?? '').trimEnd(),
      );
    },
  );
});

describe('README errors table', () => {
  const families: [string, readonly string[]][] = [
    ['ParseError', PARSE_ERROR_CODES],
    ['BuildError', BUILD_ERROR_CODES],
    ['ComposeError', COMPOSE_ERROR_CODES],
    ['SerializeError', SERIALIZE_ERROR_CODES],
    ['StatusCodeError', STATUS_CODE_ERROR_CODES],
    ['TransactionError', TRANSACTION_ERROR_CODES],
    ['MultipartError', MULTIPART_ERROR_CODES],
    ['DigestError', DIGEST_ERROR_CODES],
    ['Issue', ISSUE_CODES],
  ];

  it('lists every code of every family once, and no other', () => {
    const rows = tableAfter('## Errors').map(([code, family]) => `${family} ${code}`);
    const expected = families.flatMap(([family, codes]) =>
      codes.map((code) => `${family} \`${code}\``),
    );
    expect([...rows].sort()).toEqual([...expected].sort());
  });

  it('gives each code a situation and a sample message', () => {
    for (const [code, family, when, sample] of tableAfter('## Errors')) {
      expect(when, `${family} ${code}`).toMatch(/\w{3}/);
      expect(sample, `${family} ${code}`).toMatch(/\w{3}/);
    }
  });
});

describe('README limits table', () => {
  it('gives every DEFAULT_LIMITS entry with its default', () => {
    const rows = tableAfter('## Limits and leniency').filter(([option]) =>
      option?.startsWith('`limits.'),
    );
    const documented = Object.fromEntries(
      rows.map(([option, value]) => [option?.slice('`limits.'.length, -1), Number(value)]),
    );
    expect(documented).toEqual({ ...DEFAULT_LIMITS });
  });

  it('gives the profile and every leniency of LENIENCIES, off by default, with its code', () => {
    const rows = tableAfter('## Limits and leniency').filter(
      ([option]) => option?.startsWith('`allow') || option === '`profile`',
    );
    const documented = rows.map(([option]) => option?.replace(/`/g, '').split(' ')[0]);
    expect(documented.sort()).toEqual(['profile', ...LENIENCIES.map((row) => row.option)].sort());
    for (const row of LENIENCIES) {
      const cells = rows.find(([option]) => option?.startsWith(`\`${row.option}\``));
      expect(cells?.[1], row.option).toBe('`false`');
      expect(cells?.[3], row.option).toContain(`\`${row.code}\``);
    }
  });
});
