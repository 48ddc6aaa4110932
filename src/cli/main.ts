import { parseArgs } from 'node:util';
import { buildHelp, runBuild } from './commands/build.js';
import { codesHelp, runCodes } from './commands/codes.js';
import {
  type InspectFlags,
  parseHelp,
  runParse,
  runValidate,
  validateHelp,
} from './commands/inspect.js';
import { requestHelp, runRequestCommand, runServe, serveHelp } from './commands/network.js';
import { cliMessage } from './hints.js';
import { EXIT, UsageError } from './usage-error.js';

const mainHelp = `Usage: sipwire <command> [options]

Commands:
  serve                      run the demo SIP responder (UDP + TCP)
  request [METHOD] URI       send one request and print the responses, validated
  parse [FILE|-]             messages as JSON lines (start line, headers, body, issues);
                             interop profile, --strict for RFC 3261 syntax only
  validate [FILE|-]          a readable report per message; exit 1 when a MUST is broken;
                             interop profile, --strict for RFC 3261 syntax only
  build CODE [FILE|-]        the response to a request, as wire text, or the BuildError
  codes [CODE]               the status-code table, or one code's facts and header rules

Run "sipwire <command> --help" for a command's options.`;

type Output = (line: string) => void;

function inspectFlags(values: Record<string, unknown>): InspectFlags {
  return { datagram: values['datagram'] === true, strict: values['strict'] === true };
}

interface Command {
  help: string;
  options: NonNullable<Parameters<typeof parseArgs>[0]>['options'];
  allowPositionals: boolean;
  run(
    values: Record<string, string | boolean | string[] | undefined>,
    positionals: string[],
    out: Output,
    err: Output,
  ): Promise<number> | number;
}

const commands: Record<string, Command> = {
  codes: {
    help: codesHelp,
    options: { json: { type: 'boolean' } },
    allowPositionals: true,
    run: (values, positionals, out) => runCodes(positionals, values['json'] === true, out),
  },
  serve: {
    help: serveHelp,
    options: {
      host: { type: 'string' },
      port: { type: 'string' },
      udp: { type: 'boolean' },
      tcp: { type: 'boolean' },
      'invite-code': { type: 'string' },
      'ring-ms': { type: 'string' },
      'min-expires': { type: 'string' },
      auth: { type: 'string' },
      'tcp-idle-ms': { type: 'string' },
      'tcp-incomplete-ms': { type: 'string' },
      'tcp-max-connections': { type: 'string' },
      quiet: { type: 'boolean' },
      workers: { type: 'string' },
      'auth-algorithm': { type: 'string' },
      'max-transactions': { type: 'string' },
      'overload-lag-ms': { type: 'string' },
    },
    allowPositionals: false,
    run: (values, _positionals, out) => runServe(values, out),
  },
  request: {
    help: requestHelp,
    options: {
      tcp: { type: 'boolean' },
      header: { type: 'string', multiple: true },
      timeout: { type: 'string' },
    },
    allowPositionals: true,
    run: (values, positionals, out) => runRequestCommand(positionals, values, out),
  },
  parse: {
    help: parseHelp,
    options: { datagram: { type: 'boolean' }, strict: { type: 'boolean' } },
    allowPositionals: true,
    run: (values, positionals, out) => runParse(positionals, inspectFlags(values), out),
  },
  validate: {
    help: validateHelp,
    options: { datagram: { type: 'boolean' }, strict: { type: 'boolean' } },
    allowPositionals: true,
    run: (values, positionals, out) => runValidate(positionals, inspectFlags(values), out),
  },
  build: {
    help: buildHelp,
    options: {
      header: { type: 'string', multiple: true },
      reason: { type: 'string' },
      'to-tag': { type: 'string' },
    },
    allowPositionals: true,
    run: (values, positionals, out, err) =>
      runBuild(
        positionals,
        values as { header?: string[]; reason?: string; 'to-tag'?: string },
        out,
        err,
      ),
  },
};

/**
 * Runs the `sipwire` command line. Usage mistakes print one line and return 2; nothing
 * prints a stack trace.
 */
export async function main(argv: readonly string[], out: Output, err: Output): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    out(mainHelp);
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  const command = commands[name];
  if (command === undefined) {
    err(`sipwire: unknown command "${name}" (try: sipwire --help)`);
    return EXIT.usage;
  }
  try {
    const parsed = parseArgs({
      args: [...rest],
      options: { ...command.options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: command.allowPositionals,
      strict: true,
    });
    if (parsed.values['help'] === true) {
      out(command.help);
      return EXIT.ok;
    }
    return await command.run(parsed.values, parsed.positionals, out, err);
  } catch (error) {
    if (
      error instanceof UsageError ||
      (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')
    ) {
      err(`sipwire ${name}: ${(error as Error).message}`);
      return EXIT.usage;
    }
    // Library errors (ParseError, BuildError, …) are the input's fault: one line, exit 1.
    const code = (error as { code?: unknown }).code;
    const message = cliMessage((error as Error).message ?? String(error), false);
    err(`sipwire ${name}: ${typeof code === 'string' ? `${code}: ` : ''}${message}`);
    return EXIT.failure;
  }
}
