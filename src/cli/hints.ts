/**
 * Library messages carry hints in library terms (`options.allowBareLf accepts it`, `raise
 * limits.maxHeaderCount`, `pass options.allow`). The command line has flags, not options:
 * each hint is rewritten to the flag that does the same, or left out when no flag does.
 */

/** Response-builder options that set one header, and that header. */
const HEADER_OPTIONS: Readonly<Record<string, string>> = {
  allow: 'Allow',
  supported: 'Supported',
  contact: 'Contact',
  contentType: 'Content-Type',
};

/** The parser leniencies: the interop profile (the default of parse and validate) has them all. */
const LENIENCY_HINT = /\s*\(options\.allow\w+ accepts it\)/g;

/**
 * Rewrites the library hints in an error or issue message into sipwire flags.
 * @param message - a library error or issue message
 * @param strict - whether the command ran with --strict (a leniency hint then says to drop it)
 * @returns the message with no library option left in it
 */
export function cliMessage(message: string, strict: boolean): string {
  return (
    message
      // A LENIENT_SYNTAX issue: the interop profile is what the command line calls it.
      .replace(/, option allow\w+\)/g, ', interop profile)')
      .replace(LENIENCY_HINT, strict ? ' (run without --strict: the interop profile reads it)' : '')
      // Limits: the command line uses the defaults and has no flag to raise them.
      .replace(/; raise limits\.\w+ if this (?:peer )?is legitimate/g, '')
      .replace(/limits\.\w+ \((\d+)\)/g, 'the limit of $1 bytes')
      .replace(/options\.headers\.([A-Za-z-]+)/g, "--header '$1: …'")
      .replace(/options\.(\w+)/g, (whole, name: string) => {
        const header = HEADER_OPTIONS[name];
        if (header !== undefined) return `--header '${header}: …'`;
        if (name === 'reason') return '--reason';
        if (name === 'toTag') return '--to-tag';
        return whole;
      })
      .replace(/(--header '[^']+') or \1/g, '$1')
      // Any hint still naming a library option has no flag: leave the hint out.
      .replace(/; (?:pass|leave out|set)[^;]*options\.[^;]*/g, '')
      .replace(/options\.(\w+)/g, 'the $1 setting')
  );
}
