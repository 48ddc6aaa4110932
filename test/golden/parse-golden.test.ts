/**
 * Golden event logs of the stream parser: each test/fixtures/parse/NAME.sip is fed with every
 * chunk size from 1 to 16 bytes and in one piece, and every run's log must equal NAME.golden.
 * A log has one line per event, by stream offset: each message with its header fields and body
 * on indented lines under it, keep-alives, and the error or the clean end of the stream.
 * Goldens are written only with UPDATE_GOLDEN=1; review the diff before committing it.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ParserOptions } from '../../src/parse/index.js';
import { chunk, showBytes } from '../helpers/bytes.js';
import { readCorpusBytes } from '../helpers/corpus.js';
import { eventLine, runStream, type StreamRun } from '../parse/support.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/parse/', import.meta.url));

/** Options for the fixtures that need them. */
const OPTIONS: Readonly<Record<string, Omit<ParserOptions, 'onKeepAlive'>>> = {
  'limit-header-count': { limits: { maxHeaderCount: 7 } },
};

function render(run: StreamRun, length: number): string {
  const lines: string[] = [];
  for (const event of run.events) {
    lines.push(eventLine(event));
    if (event.kind !== 'message') continue;
    const { message } = event;
    message.headers.forEach((field, index) => {
      lines.push(
        `  off=${message.headerOffset(index)} header ${field.name}: ${JSON.stringify(field.value)}`,
      );
    });
    lines.push(`  body "${showBytes(message.body)}"`);
  }
  if (run.error === undefined) lines.push(`off=${length} end`);
  return `${lines.join('\n')}\n`;
}

const names = readdirSync(FIXTURES)
  .filter((name) => name.endsWith('.sip'))
  .map((name) => name.slice(0, -'.sip'.length))
  .sort();

describe('parser golden logs', () => {
  it('has about ten fixtures', () => {
    expect(names.length).toBeGreaterThanOrEqual(10);
  });

  it.each(names)('%s', (name) => {
    const input = readCorpusBytes(`${FIXTURES}${name}.sip`);
    const options = OPTIONS[name] ?? {};
    const whole = render(runStream([input], options), input.length);
    const goldenPath = `${FIXTURES}${name}.golden`;
    if (process.env['UPDATE_GOLDEN'] === '1') writeFileSync(goldenPath, whole);
    expect(
      existsSync(goldenPath),
      `${name}.golden is missing: run with UPDATE_GOLDEN=1 and review it`,
    ).toBe(true);
    const golden = readFileSync(goldenPath, 'utf8');
    expect(whole).toBe(golden);
    for (let size = 1; size <= 16; size++) {
      expect(
        render(runStream(chunk(input, size), options), input.length),
        `chunks of ${size}`,
      ).toBe(golden);
    }
  });
});
