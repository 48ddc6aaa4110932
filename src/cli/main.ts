import { parseArgs } from 'node:util';
import { codesHelp, runCodes } from './commands/codes.js';
import { EXIT, UsageError } from './usage-error.js';

const mainHelp = `Usage: sipwire <command> [options]

Commands:
  codes [CODE]     the status-code table, or one code's facts and header rules

Run "sipwire <command> --help" for a command's options.`;

type Output = (line: string) => void;

interface Command {
  help: string;
  options: NonNullable<Parameters<typeof parseArgs>[0]>['options'];
  allowPositionals: boolean;
  run(
    values: Record<string, unknown>,
    positionals: string[],
    out: Output,
  ): Promise<number> | number;
}

const commands: Record<string, Command> = {
  codes: {
    help: codesHelp,
    options: { json: { type: 'boolean' } },
    allowPositionals: true,
    run: (values, positionals, out) => runCodes(positionals, values['json'] === true, out),
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
    return await command.run(parsed.values, parsed.positionals, out);
  } catch (error) {
    if (
      error instanceof UsageError ||
      (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')
    ) {
      err(`sipwire ${name}: ${(error as Error).message}`);
      return EXIT.usage;
    }
    err(`sipwire ${name}: ${(error as Error).message ?? String(error)}`);
    return EXIT.failure;
  }
}
