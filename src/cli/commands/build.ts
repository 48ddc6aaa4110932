import { buildResponse, type ResponseHeaderInput, serializeToString } from '../../message/index.js';
import { parseDatagram } from '../../parse/index.js';
import { cliMessage } from '../hints.js';
import { parseHeaderFlags, readInput } from '../input.js';
import { UsageError } from '../usage-error.js';

export const buildHelp = `Usage: sipwire build CODE [FILE|-] [--header 'Name: value']... [--reason TEXT]

Reads a request from FILE (or standard input), builds the response with buildResponse and
prints it as wire text. A response the RFCs forbid (a 405 without Allow, say) prints the
BuildError and exits with 1; warnings go to standard error.

Options:
  --header 'Name: value'   add a header field (repeatable)
  --reason TEXT            reason phrase instead of the table's
  --to-tag TAG             To tag to add (default: random)
  --help                   this text`;

/** `sipwire build CODE`. */
export async function runBuild(
  positionals: readonly string[],
  values: { header?: string[]; reason?: string; 'to-tag'?: string },
  out: (line: string) => void,
  err: (line: string) => void,
): Promise<number> {
  const [codeText, ...files] = positionals;
  if (codeText === undefined || !/^\d{3}$/.test(codeText)) {
    throw new UsageError(
      'CODE must be a three-digit status code, e.g. sipwire build 486 request.sip',
    );
  }
  const request = parseDatagram(await readInput(files));
  if (request.type !== 'request')
    throw new UsageError('the input is a response; build needs a request');
  const headers: Record<string, string[]> = {};
  for (const { name, value } of parseHeaderFlags(values.header ?? [])) {
    headers[name] = [...(headers[name] ?? []), value];
  }
  const { response, warnings } = buildResponse(request, Number(codeText), {
    headers: headers as ResponseHeaderInput,
    ...(values.reason === undefined ? {} : { reason: values.reason }),
    ...(values['to-tag'] === undefined ? {} : { toTag: values['to-tag'] }),
  });
  for (const warning of warnings) {
    err(`warning: ${warning.code}: ${cliMessage(warning.message, false)}`);
  }
  out(serializeToString(response).replace(/\r\n$/, ''));
  return 0;
}
