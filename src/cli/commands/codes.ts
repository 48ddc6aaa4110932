import {
  codeInfo,
  type HeaderRule,
  type RuleCondition,
  statusClass,
  statusCodes,
} from '../../codes/index.js';
import { UsageError } from '../usage-error.js';

export const codesHelp = `Usage: sipwire codes [CODE] [--json]

Prints the status-code table (every code of the IANA SIP registry), or one code's facts:
reason phrase, constant, class, defining RFC, and the header rules with their conditions.

Options:
  --json    machine-readable output
  --help    this text`;

function describeCondition(condition: RuleCondition): string {
  switch (condition.kind) {
    case 'requestMethod':
      return `request is ${condition.methods.join(' or ')}`;
    case 'requestHasHeader':
      return `request has ${condition.header}`;
    case 'requestLacksHeader':
      return `request lacks ${condition.header}`;
    case 'requestHasNoToTag':
      return 'request To has no tag';
    case 'requestSupports':
      return `request Supported lists ${condition.optionTag}`;
    case 'responseHasHeader':
      return `response has ${condition.header}`;
    case 'createsEarlyDialog':
      return 'creates an early dialog';
    case 'createsDialog':
      return 'creates a dialog';
    case 'sentReliably':
      return 'sent reliably (100rel)';
    case 'sessionExpiresRefresher':
      return `Session-Expires refresher=${condition.refresher}`;
    case 'policy':
      return `policy: ${condition.policy} (not decidable from the messages)`;
  }
}

function describeRule(rule: HeaderRule): string {
  const requirement =
    rule.requirement.kind === 'present'
      ? ''
      : rule.requirement.kind === 'listsOptionTag'
        ? ` (lists ${rule.requirement.optionTag})`
        : rule.requirement.kind === 'paramOnEachValue'
          ? ` (;${rule.requirement.param}${rule.requirement.value === undefined ? '' : `=${rule.requirement.value}`} on each value)`
          : rule.requirement.kind === 'hasTag'
            ? ' (with a tag)'
            : ' (copied from the request)';
  const when = rule.when.length === 0 ? 'always' : rule.when.map(describeCondition).join(' and ');
  return `  ${rule.level.padEnd(10)} ${rule.header}${requirement} — when ${when} [${rule.source}]`;
}

/** `sipwire codes [CODE]`: the table, or one code's facts and rules. */
export function runCodes(
  positionals: readonly string[],
  json: boolean,
  out: (line: string) => void,
): number {
  if (positionals.length > 1) throw new UsageError('codes takes at most one CODE');
  const text = positionals[0];
  if (text === undefined) {
    if (json) {
      out(JSON.stringify(statusCodes));
      return 0;
    }
    out(
      'code  reason                                    constant                                  class           rules  source',
    );
    for (const row of statusCodes) {
      out(
        `${row.code}   ${row.reason.padEnd(41)} ${row.name.padEnd(41)} ${statusClass(row.code).padEnd(15)} ${String(row.rules.length).padStart(5)}  ${row.source}`,
      );
    }
    out(`${statusCodes.length} codes`);
    return 0;
  }
  if (!/^\d{3}$/.test(text))
    throw new UsageError(`CODE must be three digits from 100 to 699, got "${text}"`);
  const code = Number(text);
  if (code < 100 || code > 699) throw new UsageError(`CODE must be from 100 to 699, got ${code}`);
  const info = codeInfo(code);
  if (json) {
    out(JSON.stringify(info));
    return 0;
  }
  const row = info.treatedAsEntry;
  if (!info.known) out(info.note);
  out(`${info.known ? row.code : code} ${info.known ? row.reason : '(unregistered)'}`);
  out(`  constant   ${info.known ? row.name : '-'}`);
  out(`  class      ${info.statusClass}`);
  out(`  defined in ${row.source}`);
  out(`  header rules${info.known ? '' : ` (of ${row.code})`}:`);
  if (row.rules.length === 0) out('  (none)');
  for (const rule of row.rules) out(describeRule(rule));
  for (const method of row.methods) out(`  method: ${method}`);
  for (const note of row.notes) out(`  note: ${note}`);
  return 0;
}
