// Where the time goes: runs one measurement (bench/child.mjs) under `node --cpu-prof` and
// prints the functions with the most self time, and the same grouped by source file.
//
//   node bench/profile.mjs                                 sipwire, parse, synthetic, 5 s
//   node bench/profile.mjs --workload stream --seconds 8
//   node bench/profile.mjs --contestant sip --workload parse --keep
//
// The profile covers the whole child (corpus generation and the correctness check too); with a
// few seconds of timed work those are a small share. --keep leaves the .cpuprofile for
// Chrome DevTools or speedscope.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    contestant: { type: 'string', default: 'sipwire' },
    workload: { type: 'string', default: 'parse' },
    corpus: { type: 'string', default: 'synthetic' },
    seconds: { type: 'string', default: '5' },
    top: { type: 'string', default: '25' },
    keep: { type: 'boolean', default: false },
  },
});

const directory = mkdtempSync(join(tmpdir(), 'sipwire-profile-'));
const job = {
  contestant: args.contestant,
  workload: args.workload,
  corpus: args.corpus,
  warmupMs: 500,
  measureMs: Number(args.seconds) * 1000,
  check: false,
};
const child = spawnSync(
  process.execPath,
  [
    '--cpu-prof',
    `--cpu-prof-dir=${directory}`,
    '--cpu-prof-interval=200',
    fileURLToPath(new URL('./child.mjs', import.meta.url)),
    JSON.stringify(job),
  ],
  { encoding: 'utf8', env: { ...process.env, DEBUG: '' } },
);
if (child.status !== 0) {
  console.error(child.stderr);
  process.exit(1);
}
const result = JSON.parse(child.stdout);
const file = readdirSync(directory).find((name) => name.endsWith('.cpuprofile'));
if (file === undefined) throw new Error('no .cpuprofile written');
const path = join(directory, file);
const profile = JSON.parse(readFileSync(path, 'utf8'));

const byFunction = new Map();
const byFile = new Map();
const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
let totalUs = 0;
for (let i = 0; i < profile.samples.length; i++) {
  const node = nodes.get(profile.samples[i]);
  const us = profile.timeDeltas[i] ?? 0;
  if (node === undefined || us <= 0) continue;
  totalUs += us;
  const frame = node.callFrame;
  const where = shortUrl(frame.url);
  const name = `${frame.functionName || '(anonymous)'} ${where}${where ? `:${frame.lineNumber + 1}` : ''}`;
  byFunction.set(name, (byFunction.get(name) ?? 0) + us);
  const group = where || `(${frame.functionName || 'native'})`;
  byFile.set(group, (byFile.get(group) ?? 0) + us);
}

const top = Number(args.top);
console.log(
  `# ${args.contestant} / ${args.workload} / ${args.corpus}: ${Math.round(result.messagesPerSecond ?? 0)} msg/s while profiled (the profiler slows everything down)\n`,
);
console.log('| self time | function (file:line in the built code) |');
console.log('| ---: | --- |');
for (const [name, us] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, top)) {
  console.log(`| ${((100 * us) / totalUs).toFixed(1)}% | ${name.replaceAll('|', '\\|')} |`);
}
console.log('\n| self time | file |');
console.log('| ---: | --- |');
for (const [name, us] of [...byFile].sort((a, b) => b[1] - a[1]).slice(0, 15)) {
  console.log(`| ${((100 * us) / totalUs).toFixed(1)}% | ${name} |`);
}
if (args.keep) console.log(`\nprofile kept: ${path}`);
else rmSync(directory, { recursive: true, force: true });

/** The part of a script URL worth showing: dist/parse/x.js, node_modules/pkg/…, node:… */
function shortUrl(url) {
  if (url === '') return '';
  const marker = ['/dist/', '/node_modules/', '/bench/'].find((part) => url.includes(part));
  if (marker !== undefined) return url.slice(url.lastIndexOf(marker) + 1);
  return url.replace(/^file:\/\//, '');
}
