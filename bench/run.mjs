// The benchmark run: every contestant × workload × corpus, side by side in one run. Each
// measurement is a fresh process (bench/child.mjs, forked); rounds are interleaved, so slow
// drift of the machine spreads over all contestants instead of landing on one.
//
//   npm run bench                 build, then a full run (about 4–5 minutes on 2 cores)
//   npm run bench -- --quick      synthetic corpus only, 3 short rounds (about 30 s)
//   node bench/run.mjs --help     every option
//
// Writes bench/RESULTS.md (or --out) and prints the same markdown.

import { execFileSync, fork } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { CONTESTANTS } from './contestants/index.mjs';
import { isBuildable } from './lib/build-plan.mjs';
import { CORPUS_NAMES, loadCorpus, toStream } from './lib/corpus.mjs';
import { createRandom } from './lib/random.mjs';
import {
  apiTable,
  cellTable,
  correctnessNotes,
  machineInfo,
  memoryTable,
  nanosecondTable,
  readmeSection,
  referencePoints,
  summarise,
  targetTable,
} from './lib/report.mjs';
import { formatRate, formatRatio } from './lib/stats.mjs';

const WORKLOADS = ['parse', 'stream', 'build', 'build-bare'];
const CHILD = fileURLToPath(new URL('./child.mjs', import.meta.url));
const DEFAULT_OUT = fileURLToPath(new URL('./RESULTS.md', import.meta.url));
const README = fileURLToPath(new URL('../README.md', import.meta.url));

const PRESETS = {
  full: { rounds: 5, warmupMs: 300, measureMs: 500, corpora: CORPUS_NAMES },
  quick: { rounds: 3, warmupMs: 100, measureMs: 200, corpora: ['synthetic', 'invite390'] },
};

const HELP = `usage: node bench/run.mjs [options]   (npm run bench -- [options] builds first)
  --quick             synthetic and invite390 corpora only, 3 rounds of 100 ms warm-up + 200 ms (about 30 s)
  --rounds N          interleaved rounds, each a fresh process per cell (full: 5)
  --warmup-ms N       warm-up per process (full: 300)
  --measure-ms N      timed work per process (full: 500)
  --corpus a,b        of: ${CORPUS_NAMES.join(', ')}
  --workload a,b      of: ${WORKLOADS.join(', ')}
  --contestant a,b    of: ${CONTESTANTS.map((c) => c.id).join(', ')}
  --out FILE          where to write the markdown (default bench/RESULTS.md)
  --readme            also rewrite the README's "## Benchmarks" section from this run
  --no-write          print only`;

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    rounds: { type: 'string' },
    'warmup-ms': { type: 'string' },
    'measure-ms': { type: 'string' },
    corpus: { type: 'string' },
    workload: { type: 'string' },
    contestant: { type: 'string' },
    out: { type: 'string' },
    'no-write': { type: 'boolean', default: false },
    readme: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});
if (args.help) {
  console.log(HELP);
  process.exit(0);
}

const preset = args.quick ? PRESETS.quick : PRESETS.full;
const config = {
  mode: args.quick ? 'quick' : 'full',
  rounds: positive(args.rounds, preset.rounds),
  warmupMs: positive(args['warmup-ms'], preset.warmupMs),
  measureMs: positive(args['measure-ms'], preset.measureMs),
  corpora: pickList(args.corpus, CORPUS_NAMES, preset.corpora),
  workloads: pickList(args.workload, WORKLOADS, WORKLOADS),
  contestants: pickList(
    args.contestant,
    CONTESTANTS.map((c) => c.id),
    CONTESTANTS.map((c) => c.id),
  ),
};

const corpusFacts = describeCorpora(config.corpora);
const corpora = config.corpora.filter((name) => corpusFacts[name] !== undefined);
for (const name of config.corpora) {
  if (corpusFacts[name] === undefined) console.error(`corpus ${name} is absent: skipped`);
}

const cells = new Map();
for (const workload of config.workloads) {
  for (const corpus of corpora) {
    // The one 390-byte message is a parse figure only
    if (corpus === 'invite390' && workload !== 'parse') continue;
    for (const id of config.contestants) {
      const role = CONTESTANTS.find((c) => c.id === id)?.role;
      cells.set(`${workload}|${corpus}|${id}`, {
        workload,
        corpus,
        id,
        role,
        status: 'pending',
        samples: [],
      });
    }
  }
}

const started = performance.now();
const baselines = [];
for (const corpus of corpora) {
  const result = await runChild({ contestant: 'baseline', corpus });
  if (result.status === 'ok') baselines.push(result);
}
// Read once, before anything is written: the README, written second, would otherwise see the
// RESULTS.md just written as an uncommitted change. Declared before the rounds, which run at
// the top level: the report reads it when they are done.
let machineFacts;

for (let round = 0; round < config.rounds; round++) {
  const order = shuffled([...cells.values()], round + 1);
  for (const cell of order) {
    if (round > 0 && cell.status !== 'ok') continue;
    const result = await runChild({
      contestant: cell.id,
      workload: cell.workload,
      corpus: cell.corpus,
      warmupMs: config.warmupMs,
      measureMs: config.measureMs,
      round,
      check: round === 0,
    });
    record(cell, result, round);
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(0);
  console.error(`round ${round + 1}/${config.rounds} done after ${seconds} s`);
}

const markdown = renderReport();
console.log(markdown);
if (!args['no-write']) {
  const out = args.out ?? DEFAULT_OUT;
  writeFileSync(out, markdown);
  console.error(`written to ${out}`);
  if (args.readme) {
    const text = readFileSync(README, 'utf8');
    const start = text.indexOf('## Benchmarks\n');
    const end = text.indexOf('\n## ', start + 1);
    if (start === -1 || end === -1) throw new Error('README has no "## Benchmarks" section');
    writeFileSync(
      README,
      `${text.slice(0, start)}${formatted(readmeView())}\n${text.slice(end + 1)}`,
    );
    console.error(`README.md: Benchmarks section rewritten`);
  }
}

function record(cell, result, round) {
  if (round === 0) {
    cell.status = result.status;
    cell.reason = result.reason;
    cell.version = result.version;
    cell.api = result.api;
    cell.check = result.check;
  } else if (result.status !== 'ok') {
    // A process that failed in a later round is reported, not averaged in.
    cell.laterFailure = `round ${round + 1}: ${result.reason}`;
  }
  if (result.status === 'ok') cell.samples.push(result);
  const rate =
    result.status === 'ok'
      ? `${Math.round(result.messagesPerSecond)} msg/s`
      : `${result.status} ${result.reason ?? ''}`;
  console.error(
    `[${round + 1}/${config.rounds}] ${cell.workload}/${cell.corpus} ${cell.id}: ${rate}`,
  );
}

function runChild(job) {
  return new Promise((resolve) => {
    // execArgv [] keeps the parent's flags (a --cpu-prof, say) out of the measured processes;
    // DEBUG is cleared so libraries that log through `debug` stay quiet.
    const child = fork(CHILD, [JSON.stringify(job)], {
      execArgv: [],
      env: { ...process.env, DEBUG: '' },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let settled = false;
    child.on('message', (message) => {
      settled = true;
      resolve(message);
    });
    child.on('exit', (code, signal) => {
      if (!settled) resolve({ status: 'error', reason: `child exited (${signal ?? code})` });
    });
  });
}

function describeCorpora(names) {
  const facts = {};
  for (const name of names) {
    const corpus = loadCorpus(name);
    if (corpus === undefined) continue;
    const stream = toStream(corpus);
    facts[name] = {
      messages: corpus.length,
      bytes: corpus.reduce((sum, entry) => sum + entry.bytes.byteLength, 0),
      streamMessages: stream.messages.length,
      streamBytes: stream.byteLength,
      streamChunks: stream.chunks.length,
      requests: corpus.filter((entry) => isBuildable(entry.expect)).length,
    };
  }
  return facts;
}

function reportView() {
  machineFacts ??= machineInfo();
  const machine = machineFacts;
  const summaries = [...cells.values()].map(summarise);
  const rowsOf = (workload, corpus) =>
    summaries.filter((row) => row.workload === workload && row.corpus === corpus);
  const sipwire = (workload, corpus) =>
    rowsOf(workload, corpus).find((row) => row.id === 'sipwire' && row.usable);
  const view = {
    peerRatio(workload, corpus) {
      const own = sipwire(workload, corpus);
      const { fastestPeer } = referencePoints(rowsOf(workload, corpus));
      return own && fastestPeer ? own.median / fastestPeer.median : undefined;
    },
    boundRatio(workload, corpus) {
      const own = sipwire(workload, corpus);
      const { bound } = referencePoints(rowsOf(workload, corpus));
      return own && bound ? own.median / bound.median : undefined;
    },
    ratioTo(workload, corpus, id) {
      const own = sipwire(workload, corpus);
      const peer = rowsOf(workload, corpus).find((row) => row.id === id && row.usable);
      return own && peer ? own.median / peer.median : undefined;
    },
    streamVsParse(corpus) {
      const parse = sipwire('parse', corpus);
      const stream = sipwire('stream', corpus);
      return parse && stream ? parse.median / stream.median : undefined;
    },
  };

  return { machine, summaries, rowsOf, view };
}

/** Markdown as the repository's formatter writes it (Biome aligns table columns). */
function formatted(markdown) {
  const file = fileURLToPath(new URL(`./.readme-section-${process.pid}.md`, import.meta.url));
  writeFileSync(file, markdown);
  try {
    const biome = fileURLToPath(new URL('../node_modules/.bin/biome', import.meta.url));
    execFileSync(biome, ['format', '--write', file], { stdio: 'ignore' });
    return readFileSync(file, 'utf8');
  } finally {
    rmSync(file, { force: true });
  }
}

function readmeView() {
  const { machine, rowsOf, view } = reportView();
  return readmeSection({ machine, config, rowsOf, view, corpusFacts });
}

function renderReport() {
  const { machine, summaries, rowsOf, view } = reportView();
  const command = config.mode === 'quick' ? 'npm run bench -- --quick' : 'npm run bench';
  const out = [];
  out.push('# sipwire benchmarks', '');
  out.push(
    `Generated by \`${command}\` (bench/run.mjs, ${config.mode} run). Do not edit by hand: rerun it.`,
    '',
  );
  out.push('| | |', '| --- | --- |');
  out.push(`| date | ${machine.date} |`);
  out.push(
    `| machine | ${machine.cores} cores, ${machine.cpuModel}, ${machine.memory} RAM, ${machine.platform} |`,
  );
  out.push(`| Node.js | ${machine.node} (V8 ${machine.v8}) |`);
  out.push(`| commit | ${machine.commit} |`);
  out.push(
    `| load average at the end (1 / 5 / 15 min) | ${machine.loadAverage} (other work on the machine widens the spread) |`,
  );
  out.push(
    `| method | ${config.rounds} interleaved rounds; in each, every cell runs in a fresh process (node:child_process fork): correctness check (first round), ${config.warmupMs} ms warm-up, ${config.measureMs} ms timed; median over rounds, spread = min–max |`,
  );
  out.push(`| run time | ${((performance.now() - started) / 1000).toFixed(0)} s |`, '');

  if (config.workloads.includes('parse') || config.workloads.includes('build')) {
    out.push('## Targets', '');
    out.push(targetTable(view), '');
  }

  const baselineRows = summaries.filter((row) => row.id === 'sipwire baseline' && row.usable);
  if (baselineRows.length > 0) {
    out.push('## This build ÷ the baseline build (SIPWIRE_BASELINE_DIST)', '');
    out.push(
      `Baseline: ${process.env.SIPWIRE_BASELINE_DIST}. Same run, same rounds, medians.`,
      '',
      '| workload | corpus | baseline msg/s | this build msg/s | ratio |',
      '| --- | --- | ---: | ---: | ---: |',
    );
    for (const before of baselineRows) {
      const after = rowsOf(before.workload, before.corpus).find(
        (row) => row.id === 'sipwire' && row.usable,
      );
      if (after === undefined) continue;
      out.push(
        `| ${before.workload} | ${before.corpus} | ${formatRate(before.median)} | ${formatRate(after.median)} | ${formatRatio(after.median / before.median)} |`,
      );
    }
    out.push('');
  }

  out.push('## Corpora', '');
  out.push('| corpus | messages | bytes | stream: messages / bytes / chunks | requests built |');
  out.push('| --- | ---: | ---: | ---: | ---: |');
  for (const name of corpora) {
    const f = corpusFacts[name];
    out.push(
      `| ${name} | ${f.messages} | ${f.bytes} | ${f.streamMessages} / ${f.streamBytes} / ${f.streamChunks} | ${f.requests} |`,
    );
  }
  out.push('');
  out.push(
    '`synthetic`: a fixed-seed mix, two thirds responses (100, 180, 183+SDP, 200 INVITE+SDP, 200 REGISTER, 401, 407, 404, 405, 486, 487, 503), one third INVITE, REGISTER, OPTIONS, BYE, ACK; 2–4 Via, Record-Route chains, 10–20 header fields, 400–1500 bytes each. `torture`: the same mix written with compact names, odd name case, whitespace around colons, slashes, semicolons and equals signs, folded lines, comma-joined Via fields and UTF-8 (display names, reason phrases, Subject, SDP). `real`: ../shared/corpus/real read in place (the TCP capture 019 split into its 4 messages; the stream leaves out the datagrams with octets past Content-Length and the malformed files). Stream: the corpus as one byte stream cut into 1–1500-byte chunks (fixed seed). Build: each request except ACK answered with what its code needs and serialized to bytes: 200 to INVITE with Contact and an SDP body (Record-Route copied), 200 to OPTIONS with Allow, Supported and Server, 401 to REGISTER with WWW-Authenticate, and BYE alternately 200 with two extra headers (Server, Reason) or 405 with Allow; every peer builds the same content through its public API (bench/lib/build-plan.mjs). Build-bare: no options at all (INVITE 486, REGISTER 404, OPTIONS 200, BYE 200). `invite390`: one 390-byte INVITE with SDP, parse only.',
    '',
  );

  if (corpora.includes('invite390') && config.workloads.includes('parse')) {
    out.push('## One 390-byte INVITE with SDP, in ns per message', '');
    out.push(
      "The `invite390` corpus: one 390-byte INVITE with an 85-byte SDP body, the size and shape of the message Go's sipgo times in its BenchmarkParser, parsed and read (the same fields as every parse row) over and over. Nanoseconds per message are 10⁹ ÷ the median rate; for Go, sipgo's pull requests publish about 2700 ns on their machines (not measured here).",
      '',
    );
    out.push(nanosecondTable(rowsOf('parse', 'invite390')), '');
  }

  for (const workload of config.workloads) {
    for (const corpus of corpora) {
      if (corpus === 'invite390') continue;
      const rows = rowsOf(workload, corpus);
      const points = referencePoints(rows);
      out.push(`## ${workload} — ${corpus}`, '');
      const peer = points.fastestPeer ? `${points.fastestPeer.id}` : 'none correct';
      out.push(`Fastest correct peer: ${peer}.`, '');
      out.push(cellTable(rows, points, workload), '');
      const notes = correctnessNotes(rows);
      if (notes !== '')
        out.push('<details><summary>correctness notes</summary>', '', notes, '', '</details>', '');
      const later = rows.filter((row) => row.laterFailure);
      for (const row of later) out.push(`- ${row.id}: ${row.laterFailure}`, '');
    }
  }

  out.push('## Memory', '');
  out.push(
    'Peak RSS (`process.resourceUsage().maxRSS`) and peak `heapUsed` (sampled between timed passes) of the measuring processes, the largest over corpora and rounds. Every process also holds the generated corpora; the baseline row is a process that only built them. The flat-memory check of the streaming parser is a separate script: `node bench/memory.mjs`.',
    '',
  );
  out.push(memoryTable(config.contestants, config.workloads, summaries, baselines), '');

  out.push('## Contestants and the APIs measured', '');
  out.push(
    'Every contestant gets the same Buffer per message. String-based libraries pay for decoding it as their own transports do (UTF-8; latin1 for `sip`). Every parse reads the start line, Call-ID, CSeq number and method, the top Via branch, the To tag and the body. A wrong status or method, Call-ID or body length marks a contestant as wrong and leaves it out of the ratios; other differences are counted as minor. The bounds only frame: they are floors on the work, not parsers.',
    '',
  );
  out.push(apiTable(config.contestants, config.workloads, summaries), '');
  return out.join('\n');
}

function positive(text, fallback) {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value <= 0) {
    console.error(`not a positive integer: ${text}\n${HELP}`);
    process.exit(2);
  }
  return value;
}

function pickList(text, allowed, fallback) {
  if (text === undefined) return fallback;
  const picked = text.split(',').map((item) => item.trim());
  for (const item of picked) {
    if (!allowed.includes(item)) {
      console.error(`unknown value: ${item} (choose from ${allowed.join(', ')})`);
      process.exit(2);
    }
  }
  return allowed.filter((item) => picked.includes(item));
}

function shuffled(items, seed) {
  const random = createRandom(seed);
  for (let i = items.length - 1; i > 0; i--) {
    const j = random.int(0, i);
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}
