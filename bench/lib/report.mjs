// Turns the collected cells into the markdown report: machine facts, the targets, one table per
// workload × corpus, correctness notes, memory and the APIs each contestant was called through.

import { execFileSync } from 'node:child_process';
import { arch, cpus, loadavg, platform, totalmem } from 'node:os';
import { formatMiB, formatRate, formatRatio, median, range } from './stats.mjs';

/** Facts about the machine and the checkout, read once. */
export function machineInfo() {
  const processors = cpus();
  return {
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    cores: processors.length,
    cpuModel: processors[0]?.model.trim() ?? 'unknown CPU',
    memory: `${(totalmem() / 1073741824).toFixed(1)} GiB`,
    platform: `${platform()} ${arch()}`,
    node: process.version,
    v8: process.versions.v8,
    commit: gitCommit(),
    loadAverage: loadavg()
      .map((value) => value.toFixed(2))
      .join(' / '),
  };
}

/** Makes text safe inside a markdown table cell. */
function cellText(text) {
  return String(text).replaceAll('|', '\\|');
}

function gitCommit() {
  try {
    const options = { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] };
    const hash = execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], options).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], options);
    return dirty.trim() === '' ? hash : `${hash} (with uncommitted changes)`;
  } catch {
    return 'unknown (not a git checkout)';
  }
}

/** Median, spread and status of one cell (workload × corpus × contestant). */
export function summarise(cell) {
  if (cell.status !== 'ok' || cell.samples.length === 0) return { ...cell, usable: false };
  const rates = cell.samples.map((sample) => sample.messagesPerSecond);
  const check = cell.check ?? { fatal: 0, minor: 0, rejectedMalformed: 0, examples: [] };
  return {
    ...cell,
    usable: check.fatal === 0,
    median: median(rates),
    spread: range(rates),
    bytesPerSecond: median(cell.samples.map((sample) => sample.bytesPerSecond)),
    peakRssBytes: Math.max(...cell.samples.map((sample) => sample.peakRssBytes)),
    peakHeapBytes: Math.max(...cell.samples.map((sample) => sample.peakHeapBytes)),
  };
}

/** The fastest correct peer of one workload × corpus, and the framing bound's median. */
export function referencePoints(rows) {
  let fastestPeer;
  for (const row of rows) {
    if (
      row.role === 'peer' &&
      row.usable &&
      (fastestPeer === undefined || row.median > fastestPeer.median)
    ) {
      fastestPeer = row;
    }
  }
  const bound = rows.find((row) => row.id === 'framing bound' && row.usable);
  return { fastestPeer, bound };
}

function correctnessText(row) {
  if (row.status !== 'ok') return `${row.status}: ${cellText(row.reason)}`;
  const check = row.check;
  if (check === undefined) return 'not checked';
  const parts = [];
  if (check.fatal > 0)
    parts.push(`✗ ${check.fatal} of ${check.checked} wrong — excluded from ratios`);
  else parts.push(`✓ ${check.checked}`);
  if (check.minor > 0) parts.push(`${check.minor} minor`);
  if (check.rejectedMalformed > 0) parts.push(`${check.rejectedMalformed} malformed rejected`);
  return parts.join(', ');
}

function label(row) {
  return row.version ? `${row.id} ${row.version}` : row.id;
}

/** One markdown table for a workload × corpus. */
export function cellTable(rows, { fastestPeer, bound }, workload) {
  const lines = [
    '| contestant | msg/s (median) | spread (min–max) | MB/s | × fastest peer | × framing bound | correctness |',
    '| --- | ---: | ---: | ---: | ---: | ---: | --- |',
  ];
  for (const row of rows) {
    if (row.status === 'n/a' || row.status === 'skipped') {
      lines.push(`| ${label(row)} | n/a | | | | | ${cellText(row.reason)} |`);
      continue;
    }
    if (row.median === undefined) {
      lines.push(`| ${label(row)} | — | | | | | ${correctnessText(row)} |`);
      continue;
    }
    const peerRatio =
      row.usable && fastestPeer ? formatRatio(row.median / fastestPeer.median) : '—';
    const boundRatio =
      row.usable && bound && !workload.startsWith('build')
        ? formatRatio(row.median / bound.median)
        : '—';
    lines.push(
      `| ${label(row)} | ${formatRate(row.median)} | ${formatRate(row.spread.min)}–${formatRate(row.spread.max)} | ${(row.bytesPerSecond / 1e6).toFixed(1)} | ${peerRatio} | ${boundRatio} | ${correctnessText(row)} |`,
    );
  }
  return lines.join('\n');
}

/**
 * The issue's targets, measured: sipwire ÷ a named peer or the fastest peer, medians of the
 * same run.
 */
export function targetTable(view) {
  const yes = (ok) => (ok === undefined ? '—' : ok ? 'yes' : '**no**');
  const rows = [];
  const check = (value, goal, higherIsBetter = true) =>
    value === undefined ? undefined : higherIsBetter ? value >= goal : value <= goal;
  const parseSip = view.ratioTo('parse', 'synthetic', 'sip');
  const parseSofia = view.ratioTo('parse', 'synthetic', 'sofia-sip');
  const parseBound = view.boundRatio('parse', 'synthetic');
  const streamPeer = view.peerRatio('stream', 'synthetic');
  const streamVsParse = view.streamVsParse('synthetic');
  const buildPeer = view.peerRatio('build', 'synthetic');
  const barePeer = view.peerRatio('build-bare', 'synthetic');
  rows.push(['parse ≥ 5× sip', parseSip, check(parseSip, 5)]);
  rows.push(['parse ≥ 2× sofia-sip (C)', parseSofia, check(parseSofia, 2)]);
  rows.push(['parse ≥ 0.5× the framing bound', parseBound, check(parseBound, 0.5)]);
  rows.push(['stream ≥ 4× the fastest peer with a stream API', streamPeer, check(streamPeer, 4)]);
  rows.push([
    'stream within 1.25× of parse (parse rate ÷ stream rate ≤ 1.25)',
    streamVsParse,
    check(streamVsParse, 1.25, false),
  ]);
  rows.push([
    'build + serialize, with the options each code needs, ≥ 1.5× the fastest peer',
    buildPeer,
    check(buildPeer, 1.5),
  ]);
  rows.push(['build + serialize, bare, ≥ 1.5× the fastest peer', barePeer, check(barePeer, 1.5)]);
  for (const corpus of ['torture', 'real']) {
    for (const workload of ['parse', 'stream', 'build']) {
      const synthetic = view.peerRatio(workload, 'synthetic');
      const other = view.peerRatio(workload, corpus);
      const relative =
        synthetic !== undefined && other !== undefined ? other / synthetic : undefined;
      rows.push([
        `${workload}, ${corpus}: ratio to fastest peer ≥ 0.8× the synthetic one`,
        relative,
        check(relative, 0.8),
      ]);
    }
  }
  const lines = ['| target (medians, same run) | measured | met |', '| --- | ---: | :---: |'];
  for (const [text, value, ok] of rows) {
    lines.push(`| ${text} | ${value === undefined ? '—' : formatRatio(value)} | ${yes(ok)} |`);
  }
  return lines.join('\n');
}

/** Nanoseconds per message of each usable contestant, fastest first. */
export function nanosecondTable(rows) {
  const lines = [
    '| contestant | ns / message (median) | msg/s | correctness |',
    '| --- | ---: | ---: | --- |',
  ];
  const measured = rows
    .filter((row) => row.median !== undefined)
    .sort((a, b) => b.median - a.median);
  for (const row of measured) {
    lines.push(
      `| ${label(row)} | ${Math.round(1e9 / row.median)} | ${formatRate(row.median)} | ${correctnessText(row)} |`,
    );
  }
  for (const row of rows.filter((candidate) => candidate.median === undefined)) {
    lines.push(
      `| ${label(row)} | — | — | ${row.status === 'ok' ? correctnessText(row) : cellText(row.reason)} |`,
    );
  }
  return lines.join('\n');
}

/** Peak RSS / heap per contestant and workload, the largest over corpora and rounds. */
export function memoryTable(contestants, workloads, summaries, baselines) {
  const header = `| contestant | ${workloads.map((w) => `${w}: peak RSS / heap (MiB)`).join(' | ')} |`;
  const lines = [header, `| --- | ${workloads.map(() => '---:').join(' | ')} |`];
  for (const id of contestants) {
    const cells = workloads.map((workload) => {
      const rows = summaries.filter(
        (row) => row.id === id && row.workload === workload && row.median !== undefined,
      );
      if (rows.length === 0) return 'n/a';
      const rss = Math.max(...rows.map((row) => row.peakRssBytes));
      const heap = Math.max(...rows.map((row) => row.peakHeapBytes));
      return `${formatMiB(rss)} / ${formatMiB(heap)}`;
    });
    lines.push(`| ${id} | ${cells.join(' | ')} |`);
  }
  if (baselines.length > 0) {
    const rss = Math.max(...baselines.map((b) => b.peakRssBytes));
    const heap = Math.max(...baselines.map((b) => b.peakHeapBytes));
    const text = `${formatMiB(rss)} / ${formatMiB(heap)}`;
    lines.push(`| (baseline: corpus only) | ${workloads.map(() => text).join(' | ')} |`);
  }
  return lines.join('\n');
}

/** Which API each contestant was called through, per workload. */
export function apiTable(contestants, workloads, summaries) {
  const lines = [
    `| contestant | ${workloads.join(' | ')} |`,
    `| --- | ${workloads.map(() => '---').join(' | ')} |`,
  ];
  for (const id of contestants) {
    const rows = summaries.filter((row) => row.id === id);
    const version = rows.find((row) => row.version)?.version ?? '';
    const cells = workloads.map((workload) => {
      const row = rows.find(
        (candidate) => candidate.workload === workload && (candidate.api || candidate.reason),
      );
      if (row === undefined) return '—';
      return row.status === 'ok' ? `\`${cellText(row.api)}\`` : `n/a: ${cellText(row.reason)}`;
    });
    lines.push(`| ${version ? `${id} ${version}` : id} | ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}

/** Up to three examples of every contestant's problems in one cell. */
export function correctnessNotes(rows) {
  const notes = [];
  for (const row of rows) {
    const check = row.check;
    if (check === undefined || (check.fatal === 0 && check.minor === 0)) continue;
    const examples = check.examples.map((example) => `  - ${example}`).join('\n');
    notes.push(`- ${row.id}: ${check.fatal} fatal, ${check.minor} minor\n${examples}`);
  }
  return notes.join('\n');
}

/**
 * The README's "## Benchmarks" section, from the same run: the synthetic corpus's medians, the
 * ratios the issue names, the 390-byte INVITE in ns per message.
 */
export function readmeSection({ machine, config, rowsOf, view, corpusFacts }) {
  const own = (workload, corpus = 'synthetic') =>
    rowsOf(workload, corpus).find((row) => row.id === 'sipwire' && row.usable);
  const named = (workload, id, corpus = 'synthetic') =>
    rowsOf(workload, corpus).find((row) => row.id === id && row.usable);
  const rate = (row) => (row === undefined ? '—' : `${formatRate(row.median)} msg/s`);
  const ratio = (value) => (value === undefined ? '—' : formatRatio(value));
  const peer = (workload) => {
    const { fastestPeer } = referencePoints(rowsOf(workload, 'synthetic'));
    return fastestPeer === undefined
      ? '—'
      : `${label(fastestPeer)}: ${formatRate(fastestPeer.median)}`;
  };
  const facts = corpusFacts.synthetic;
  const lines = ['## Benchmarks', ''];
  lines.push(
    `Synthetic corpus (${facts?.messages ?? '?'} messages, 400–1500 bytes), medians of ${config.rounds} interleaved rounds, every contestant in its own process, all measured in one run (${machine.date}, commit ${machine.commit}) on ${machine.cores} cores of a shared ${machine.cpuModel}, Node ${machine.node} (full tables, spreads, torture and real corpora: [bench/RESULTS.md](bench/RESULTS.md)). Generated by \`bench/run.mjs\`; reproduce with \`npm run bench\`.`,
    '',
  );
  lines.push(
    '| workload | sipwire | fastest peer | sipwire × fastest peer | sipwire × framing bound |',
    '| --- | ---: | ---: | ---: | ---: |',
  );
  const rows = [
    ['parse (one message + Call-ID, CSeq, top Via branch, To tag)', 'parse'],
    ['stream (1–1500-byte chunks)', 'stream'],
    ['build + serialize, with the options each code needs', 'build'],
    ['build + serialize, bare (no options)', 'build-bare'],
  ];
  for (const [text, workload] of rows) {
    if (!config.workloads.includes(workload)) continue;
    const bound = workload.startsWith('build')
      ? '—'
      : ratio(view.boundRatio(workload, 'synthetic'));
    lines.push(
      `| ${text} | ${rate(own(workload))} | ${peer(workload)} | ${ratio(view.peerRatio(workload, 'synthetic'))} | ${bound} |`,
    );
  }
  lines.push('');
  if (config.workloads.includes('parse')) {
    const sofia = named('parse', 'sofia-sip');
    const osip = named('parse', 'osip2');
    const sip = named('parse', 'sip');
    lines.push(
      `Parse next to C, same run: sofia-sip ${sofia ? formatRate(sofia.median) : '—'} msg/s (sipwire ${ratio(view.ratioTo('parse', 'synthetic', 'sofia-sip'))}), osip2 ${osip ? formatRate(osip.median) : '—'} msg/s (sipwire ${ratio(view.ratioTo('parse', 'synthetic', 'osip2'))}); sip ${sip ? formatRate(sip.median) : '—'} msg/s (sipwire ${ratio(view.ratioTo('parse', 'synthetic', 'sip'))}).`,
    );
    const invite = own('parse', 'invite390');
    if (invite !== undefined) {
      const ns = (id) => {
        const row = named('parse', id, 'invite390');
        return row === undefined ? '—' : `${Math.round(1e9 / row.median)} ns`;
      };
      lines.push(
        `One 390-byte INVITE with SDP (the shape of sipgo's BenchmarkParser message): sipwire ${ns('sipwire')}, sofia-sip ${ns('sofia-sip')}, osip2 ${ns('osip2')} per message.`,
      );
    }
    lines.push('');
  }
  lines.push(
    "Peers: sip, sip.js, jssip, drachtio-srf (npm) and sofia-sip, osip2 (C, parse only; built by the bench with cc); n/a where a library has no such API. The build workload gives every response what its code needs (Contact and SDP on a 200 to INVITE, Allow, Supported and Server on a 200 to OPTIONS, WWW-Authenticate on a 401, Allow on a 405), through each library's own API. sipwire validates every byte it reads and every rule of the table when it builds; which targets are met is in bench/RESULTS.md. The peers' medians move by 20% or more between runs on this shared machine, so compare ratios within one run.",
    '',
  );
  return lines.join('\n');
}
