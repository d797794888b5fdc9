/**
 * The results table: one row per measured metric, its baseline measured in the same run, the
 * ratio between them and the target it is judged by.
 */

/**
 * @typedef {object} Row
 * @property {string} scenario
 * @property {string} metric
 * @property {number} value
 * @property {number | null} baseline
 * @property {string} baselineOf what the baseline is (e.g. "plain Apollo")
 * @property {number | null} ratio value / baseline
 * @property {string} unit
 * @property {string} target human-readable, e.g. "ratio ≥ 0.80"; empty when informational
 * @property {boolean | null} pass null when there is no target
 */

/** @param {number | null} value @param {string} unit */
function formatValue(value, unit) {
  if (value === null || Number.isNaN(value)) return '—';
  if (unit === 'req/s') return `${Math.round(value).toLocaleString('en-US')} req/s`;
  if (unit === 'ms') return `${value.toFixed(value < 10 ? 2 : 1)} ms`;
  if (unit === 'MB') return `${value.toFixed(1)} MB`;
  if (unit === 'µs') return `${Math.round(value)} µs`;
  if (unit === '% core') return `${value.toFixed(2)} % of a core`;
  if (unit === 's') return `${value.toFixed(2)} s`;
  if (unit === 'req') return `${Math.round(value).toLocaleString('en-US')}`;
  return `${value}`;
}

/** @param {Row} row */
function cells(row) {
  return [
    row.scenario,
    row.metric,
    formatValue(row.value, row.unit),
    row.baseline === null ? '—' : `${formatValue(row.baseline, row.unit)} (${row.baselineOf})`,
    row.ratio === null ? '—' : `${row.ratio.toFixed(2)}x`,
    row.target || '—',
    row.pass === null ? 'info' : row.pass ? 'PASS' : 'MISS',
  ];
}

const HEADER = ['Scenario', 'Metric', 'Value', 'Baseline (same run)', 'Ratio', 'Target', 'Result'];

/** @param {Row[]} rows */
export function textTable(rows) {
  const lines = [HEADER, ...rows.map(cells)];
  const widths = HEADER.map((_, column) => Math.max(...lines.map((line) => line[column].length)));
  const render = (line) =>
    line
      .map((cell, column) => cell.padEnd(widths[column]))
      .join('  ')
      .trimEnd();
  const rule = widths.map((width) => '-'.repeat(width)).join('  ');
  return [render(HEADER), rule, ...rows.map((row) => render(cells(row)))].join('\n');
}

/** @param {Row[]} rows */
export function markdownTable(rows) {
  const escapePipes = (cell) => cell.replaceAll('|', '\\|');
  const line = (cellsOfLine) => `| ${cellsOfLine.map(escapePipes).join(' | ')} |`;
  return [
    line(HEADER),
    line(HEADER.map(() => '---')),
    ...rows.map((row) => {
      const rendered = cells(row);
      if (row.pass === false) rendered[6] = '**MISS**';
      return line(rendered);
    }),
  ].join('\n');
}

/**
 * @param {Row[]} rows
 * @param {ReturnType<typeof import('./machine.js').describeMachine>} machine
 * @param {Record<string, unknown>} settings
 * @param {string} finishedAt
 * @param {string[]} notes
 */
export function markdownReport(rows, machine, settings, finishedAt, notes) {
  return [
    `Measured ${finishedAt} with \`npm run bench\` on ${machine.cpuModel}, ${machine.cores} cores, ` +
      `${machine.memoryGiB} GiB RAM, Node ${machine.node} (${machine.platform}).`,
    '',
    markdownTable(rows),
    '',
    `Settings: ${Object.entries(settings)
      .map(([key, value]) => `${key}=${value}`)
      .join(', ')}.`,
    ...(notes.length > 0 ? ['', ...notes.map((note) => `- ${note}`)] : []),
    '',
  ].join('\n');
}
