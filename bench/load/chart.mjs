// Hand-written SVG for the load bench: calls/s (x) against INVITE → 200 p95 (y, log scale with
// 0 at the bottom), one line per contestant and transport. No dependency.

const COLORS = { sipwire: '#c0392b', 'sipp-uas': '#1f77b4', minimal: '#7f7f7f' };
const WIDTH = 720;
const HEIGHT = 400;
const LEFT = 60;
const RIGHT = 190;
const TOP = 40;
const BOTTOM = 50;
const Y_MAX_MS = 1000;

function escapeXml(text) {
  return String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * @param results - [{ transport, contestant, steps: [{ rate, p95, sustained }] }]
 * @param limitMs - the p95 limit, drawn as a dashed line
 * @returns the SVG document as text
 */
export function renderChart(results, limitMs) {
  const plotWidth = WIDTH - LEFT - RIGHT;
  const plotHeight = HEIGHT - TOP - BOTTOM;
  const maxRate = Math.max(1000, ...results.flatMap(({ steps }) => steps.map((row) => row.rate)));
  const x = (rate) => LEFT + (rate / maxRate) * plotWidth;
  // log10(1 + ms): 0 ms sits on the axis, 1000 ms at the top; larger values are clipped.
  const y = (ms) =>
    TOP +
    plotHeight -
    (Math.log10(1 + Math.min(Number.isFinite(ms) ? ms : Y_MAX_MS, Y_MAX_MS)) /
      Math.log10(1 + Y_MAX_MS)) *
      plotHeight;
  const out = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">`,
    '<title>Load bench: calls per second against INVITE to 200 p95, per responder and transport</title>',
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#fff"/>`,
    `<text x="${LEFT}" y="22" font-size="14" font-weight="bold">sipp uac against each responder: calls/s vs INVITE → 200 p95</text>`,
  );
  // Axes and grid.
  for (const ms of [0, 1, 10, 100, 1000]) {
    out.push(
      `<line x1="${LEFT}" x2="${LEFT + plotWidth}" y1="${y(ms).toFixed(1)}" y2="${y(ms).toFixed(1)}" stroke="#ddd"/>`,
      `<text x="${LEFT - 6}" y="${(y(ms) + 4).toFixed(1)}" text-anchor="end">${ms}</text>`,
    );
  }
  const tickStep = maxRate > 6000 ? 2000 : 1000;
  for (let rate = 0; rate <= maxRate; rate += tickStep) {
    out.push(
      `<line x1="${x(rate).toFixed(1)}" x2="${x(rate).toFixed(1)}" y1="${TOP}" y2="${TOP + plotHeight}" stroke="#eee"/>`,
      `<text x="${x(rate).toFixed(1)}" y="${TOP + plotHeight + 16}" text-anchor="middle">${rate}</text>`,
    );
  }
  out.push(
    `<line x1="${LEFT}" x2="${LEFT + plotWidth}" y1="${y(limitMs).toFixed(1)}" y2="${y(limitMs).toFixed(1)}" stroke="#555" stroke-dasharray="6 4"/>`,
    `<text x="${LEFT + plotWidth - 4}" y="${(y(limitMs) - 5).toFixed(1)}" text-anchor="end" fill="#555">p95 limit ${limitMs} ms</text>`,
    `<rect x="${LEFT}" y="${TOP}" width="${plotWidth}" height="${plotHeight}" fill="none" stroke="#333"/>`,
    `<text x="${LEFT + plotWidth / 2}" y="${HEIGHT - 12}" text-anchor="middle">target calls/s (each step bounded in count and time)</text>`,
    `<text transform="translate(16 ${TOP + plotHeight / 2}) rotate(-90)" text-anchor="middle">p95 ms (log)</text>`,
  );
  // One series per contestant and transport; hollow points were not sustained.
  let legendY = TOP + 6;
  for (const { transport, contestant, steps } of results) {
    const color = COLORS[contestant] ?? '#000';
    const dash = transport === 'tcp' ? ' stroke-dasharray="5 3"' : '';
    const points = steps.map((row) => `${x(row.rate).toFixed(1)},${y(row.p95).toFixed(1)}`);
    if (points.length > 1) {
      out.push(
        `<polyline points="${points.join(' ')}" fill="none" stroke="${color}" stroke-width="2"${dash}/>`,
      );
    }
    for (const row of steps) {
      out.push(
        `<circle cx="${x(row.rate).toFixed(1)}" cy="${y(row.p95).toFixed(1)}" r="3.5" stroke="${color}" stroke-width="1.5" fill="${row.sustained ? color : '#fff'}"><title>${escapeXml(`${contestant} ${transport} ${row.rate}/s: p95 ${row.p95} ms${row.sustained ? '' : ` (not sustained: ${row.why})`}`)}</title></circle>`,
      );
    }
    const legendX = LEFT + plotWidth + 14;
    out.push(
      `<line x1="${legendX}" x2="${legendX + 24}" y1="${legendY}" y2="${legendY}" stroke="${color}" stroke-width="2"${dash}/>`,
      `<text x="${legendX + 30}" y="${legendY + 4}">${escapeXml(`${contestant} ${transport.toUpperCase()}`)}</text>`,
    );
    legendY += 18;
  }
  out.push(
    `<text x="${LEFT + plotWidth + 14}" y="${legendY + 10}" fill="#555">filled: sustained</text>`,
    `<text x="${LEFT + plotWidth + 14}" y="${legendY + 26}" fill="#555">hollow: not sustained</text>`,
    '</svg>',
    '',
  );
  return out.join('\n');
}
