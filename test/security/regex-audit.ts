/**
 * A static ReDoS audit: finds the regular expressions in TypeScript source text, parses each
 * pattern, and reports the shapes that make a backtracking engine slower than linear:
 * - `nested`: an unbounded quantifier inside another repeated one, `(a+)+`, `(\s*x\s*)*`;
 * - `overlapping-alternation`: a repeated alternation whose branches can start with the same
 *   character, `(a|ab)*`, `(\s|\t)+`;
 * - `overlapping-adjacent`: two unbounded quantifiers with only optional items between them that
 *   can match the same character, `\s*\s*`, `\s*,?\s*`;
 * - `unanchored-leading-repeat`: a branch not anchored with `^` that starts with an unbounded
 *   quantifier and can still fail after it, `[ \t]+$`: the search restarts at every character
 *   of a long run and rescans the rest of it (quadratic).
 * Test-only code: no dependency, no clock.
 */

/** One regular expression found in a source file. */
export interface RegexOccurrence {
  readonly file: string;
  readonly line: number;
  /** The pattern between the slashes (literals), or the constructor call's text. */
  readonly source: string;
  readonly flags: string;
  /** A `/…/` literal, a `RegExp(…)` call, or a string passed to match/matchAll/search. */
  readonly kind: 'literal' | 'constructor' | 'string-pattern';
}

/** Keywords after which a `/` starts a regular expression, not a division. */
const REGEX_AFTER_KEYWORD = new Set([
  'return',
  'typeof',
  'instanceof',
  'in',
  'of',
  'new',
  'delete',
  'void',
  'throw',
  'case',
  'do',
  'else',
  'yield',
  'await',
]);

function isIdentifierStart(c: string): boolean {
  return /[A-Za-z_$]/.test(c);
}

function isIdentifierPart(c: string): boolean {
  return /[A-Za-z0-9_$]/.test(c);
}

/**
 * Finds every regular expression literal, `RegExp(…)` call and string-pattern
 * `match`/`matchAll`/`search` call in TypeScript source text, skipping comments, strings and
 * template literals.
 * @param text - the source
 * @param file - the file name to record
 */
export function findRegexes(text: string, file: string): RegexOccurrence[] {
  const found: RegexOccurrence[] = [];
  /** 'template' entries mark a `${` whose `}` resumes a template literal. */
  const braces: ('brace' | 'template')[] = [];
  let i = 0;
  let line = 1;
  /** Whether the last significant token ends an expression (then `/` divides). */
  let afterValue = false;
  let lastIdentifier = '';

  const scanTemplate = (from: number): number => {
    let j = from;
    while (j < text.length) {
      const c = text[j];
      if (c === '\\') {
        j += 2;
        continue;
      }
      if (c === '\n') line++;
      if (c === '`') {
        afterValue = true;
        return j + 1;
      }
      if (c === '$' && text[j + 1] === '{') {
        braces.push('template');
        afterValue = false;
        return j + 2;
      }
      j++;
    }
    return j;
  };

  while (i < text.length) {
    const c = text[i] as string;
    const next = text[i + 1];
    if (c === '\n') {
      line++;
      i++;
    } else if (c === ' ' || c === '\t' || c === '\r') {
      i++;
    } else if (c === '/' && next === '/') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '/' && next === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end === -1 ? text.length : end + 2;
      for (let j = i; j < stop; j++) if (text[j] === '\n') line++;
      i = stop;
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < text.length && text[j] !== c) j += text[j] === '\\' ? 2 : 1;
      i = j + 1;
      afterValue = true;
    } else if (c === '`') {
      i = scanTemplate(i + 1);
    } else if (c === '{') {
      braces.push('brace');
      afterValue = false;
      i++;
    } else if (c === '}') {
      const top = braces.pop();
      if (top === 'template') i = scanTemplate(i + 1);
      else {
        afterValue = false;
        i++;
      }
    } else if (c === '/') {
      if (afterValue) {
        afterValue = false;
        i++;
        continue;
      }
      let j = i + 1;
      let inClass = false;
      while (j < text.length && text[j] !== '\n') {
        const d = text[j];
        if (d === '\\') {
          j += 2;
          continue;
        }
        if (d === '[') inClass = true;
        else if (d === ']') inClass = false;
        else if (d === '/' && !inClass) break;
        j++;
      }
      if (text[j] !== '/') {
        i++;
        continue;
      }
      let k = j + 1;
      while (k < text.length && /[a-z]/.test(text[k] as string)) k++;
      found.push({
        file,
        line,
        source: text.slice(i + 1, j),
        flags: text.slice(j + 1, k),
        kind: 'literal',
      });
      i = k;
      afterValue = true;
    } else if (isIdentifierStart(c)) {
      let j = i + 1;
      while (j < text.length && isIdentifierPart(text[j] as string)) j++;
      const word = text.slice(i, j);
      let after = j;
      while (text[after] === ' ') after++;
      if (word === 'RegExp' && text[after] === '(') {
        found.push({ file, line, source: callText(text, after), flags: '', kind: 'constructor' });
      } else if (
        (word === 'match' || word === 'matchAll' || word === 'search') &&
        text[i - 1] === '.' &&
        text[after] === '('
      ) {
        let arg = after + 1;
        while (text[arg] === ' ' || text[arg] === '\n') arg++;
        if (text[arg] !== '/') {
          found.push({
            file,
            line,
            source: callText(text, after),
            flags: '',
            kind: 'string-pattern',
          });
        }
      }
      lastIdentifier = word;
      afterValue = !REGEX_AFTER_KEYWORD.has(lastIdentifier);
      i = j;
    } else if (/[0-9]/.test(c)) {
      while (i < text.length && /[0-9A-Za-z_.]/.test(text[i] as string)) i++;
      afterValue = true;
    } else if (c === ')' || c === ']') {
      afterValue = true;
      i++;
    } else {
      afterValue = false;
      i++;
    }
  }
  return found;
}

/** The text of a call from its `(` to the matching `)`, for reports. */
function callText(text: string, open: number): string {
  let depth = 0;
  for (let j = open; j < text.length; j++) {
    if (text[j] === '(') depth++;
    else if (text[j] === ')') {
      depth--;
      if (depth === 0) return text.slice(open, j + 1);
    }
  }
  return text.slice(open);
}

// ---------------------------------------------------------------------------------------------
// Pattern parsing: enough of the JavaScript regular-expression grammar for an audit.

/** The characters an item can consume: ASCII one by one, everything above as one slot (128). */
type CharSet = Uint8Array;

const ANY_OTHER = 128;

function emptySet(): CharSet {
  return new Uint8Array(129);
}

function fullSet(): CharSet {
  return new Uint8Array(129).fill(1);
}

function setOf(chars: string): CharSet {
  const set = emptySet();
  for (const c of chars) add(set, c.codePointAt(0) as number);
  return set;
}

function add(set: CharSet, code: number): void {
  set[code < 128 ? code : ANY_OTHER] = 1;
}

function addRange(set: CharSet, from: number, to: number): void {
  for (let code = from; code <= Math.min(to, 127); code++) set[code] = 1;
  if (to >= 128) set[ANY_OTHER] = 1;
}

function union(a: CharSet, b: CharSet): CharSet {
  const out = emptySet();
  for (let k = 0; k < out.length; k++) out[k] = (a[k] as number) | (b[k] as number);
  return out;
}

function complement(a: CharSet): CharSet {
  const out = emptySet();
  for (let k = 0; k < 128; k++) out[k] = a[k] === 1 ? 0 : 1;
  // Above ASCII a complement keeps almost everything.
  out[ANY_OTHER] = 1;
  return out;
}

function overlaps(a: CharSet, b: CharSet): boolean {
  for (let k = 0; k < a.length; k++) if (a[k] === 1 && b[k] === 1) return true;
  return false;
}

const DIGIT_SET = setOf('0123456789');
const WORD_SET = setOf('abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_');
const SPACE_SET = (() => {
  const set = setOf(' \t\n\r\f\v');
  set[ANY_OTHER] = 1; // \s also matches Unicode spaces
  return set;
})();

/** A parsed pattern. */
export type RegexNode =
  | { readonly type: 'chars'; readonly set: CharSet }
  | { readonly type: 'sequence'; readonly items: readonly RegexNode[] }
  | { readonly type: 'alternation'; readonly branches: readonly RegexNode[] }
  | { readonly type: 'group'; readonly body: RegexNode; readonly lookaround: boolean }
  | {
      readonly type: 'repeat';
      readonly body: RegexNode;
      readonly min: number;
      readonly max: number;
    }
  | { readonly type: 'assertion'; readonly kind: string }
  | { readonly type: 'backreference' };

/**
 * Parses a pattern (the text between the slashes) into a tree.
 * @throws Error for syntax the audit does not know, so a new construct is looked at, not skipped
 */
export function parseRegex(source: string, flags = ''): RegexNode {
  const ignoreCase = flags.includes('i');
  let i = 0;

  const fold = (set: CharSet): CharSet => {
    if (!ignoreCase) return set;
    const out = set.slice();
    for (let code = 65; code <= 90; code++) {
      if (set[code] === 1 || set[code + 32] === 1) {
        out[code] = 1;
        out[code + 32] = 1;
      }
    }
    return out;
  };

  const fail = (why: string): never => {
    throw new Error(`regex audit cannot read /${source}/ at ${i}: ${why}`);
  };

  const readEscape = (inClass: boolean): CharSet | RegexNode => {
    const c = source[i++];
    switch (c) {
      case 'd':
        return DIGIT_SET;
      case 'D':
        return complement(DIGIT_SET);
      case 'w':
        return WORD_SET;
      case 'W':
        return complement(WORD_SET);
      case 's':
        return SPACE_SET;
      case 'S':
        return complement(SPACE_SET);
      case 't':
        return setOf('\t');
      case 'n':
        return setOf('\n');
      case 'r':
        return setOf('\r');
      case 'f':
        return setOf('\f');
      case 'v':
        return setOf('\v');
      case '0':
        return setOf('\0');
      case 'x': {
        const code = Number.parseInt(source.slice(i, i + 2), 16);
        i += 2;
        return setOf(String.fromCharCode(code));
      }
      case 'u': {
        const code = Number.parseInt(source.slice(i, i + 4), 16);
        i += 4;
        return setOf(String.fromCharCode(code));
      }
      case 'b':
        if (inClass) return setOf('\b');
        return { type: 'assertion', kind: '\\b' };
      case 'B':
        return { type: 'assertion', kind: '\\B' };
      case undefined:
        return fail('trailing backslash');
      default:
        if (/[1-9]/.test(c)) {
          while (/[0-9]/.test(source[i] ?? '')) i++;
          return { type: 'backreference' };
        }
        return setOf(c);
    }
  };

  const readClass = (): CharSet => {
    let set = emptySet();
    const negated = source[i] === '^';
    if (negated) i++;
    // In JavaScript `[]` is an empty class: a `]` right after `[` closes it.
    while (i < source.length && source[i] !== ']') {
      let low: CharSet | number;
      if (source[i] === '\\') {
        i++;
        const escaped = readEscape(true);
        if (!(escaped instanceof Uint8Array)) fail('assertion inside a class');
        low = escaped as CharSet;
      } else {
        low = source.codePointAt(i) as number;
        i += low > 0xffff ? 2 : 1;
      }
      if (typeof low === 'number' && source[i] === '-' && source[i + 1] !== ']') {
        i++;
        let high: number;
        if (source[i] === '\\') {
          i++;
          const escaped = readEscape(true);
          const codes = [...(escaped as CharSet).keys()].filter((k) => (escaped as CharSet)[k]);
          high = codes[0] ?? fail('class range');
        } else {
          high = source.codePointAt(i) as number;
          i += high > 0xffff ? 2 : 1;
        }
        addRange(set, low, high);
      } else if (typeof low === 'number') {
        add(set, low);
      } else {
        set = union(set, low);
      }
    }
    if (source[i] !== ']') fail('unclosed class');
    i++;
    return negated ? complement(fold(set)) : fold(set);
  };

  const readAtom = (): RegexNode => {
    const c = source[i] as string;
    if (c === '(') {
      i++;
      let lookaround = false;
      if (source[i] === '?') {
        const kind = source.slice(i, i + 3);
        if (kind.startsWith('?:')) i += 2;
        else if (kind.startsWith('?=') || kind.startsWith('?!')) {
          i += 2;
          lookaround = true;
        } else if (kind === '?<=' || kind === '?<!') {
          i += 3;
          lookaround = true;
        } else if (kind.startsWith('?<')) {
          const close = source.indexOf('>', i);
          if (close === -1) fail('unclosed group name');
          i = close + 1;
        } else fail('unknown group');
      }
      const body = readAlternation();
      if (source[i] !== ')') fail('unclosed group');
      i++;
      return { type: 'group', body, lookaround };
    }
    if (c === '[') {
      i++;
      return { type: 'chars', set: readClass() };
    }
    if (c === '\\') {
      i++;
      const escaped = readEscape(false);
      return escaped instanceof Uint8Array ? { type: 'chars', set: fold(escaped) } : escaped;
    }
    if (c === '.') {
      i++;
      return { type: 'chars', set: fullSet() };
    }
    if (c === '^' || c === '$') {
      i++;
      return { type: 'assertion', kind: c };
    }
    if ('*+?{'.includes(c) && !(c === '{' && !/^\{\d/.test(source.slice(i)))) {
      fail('quantifier with nothing to repeat');
    }
    const code = source.codePointAt(i) as number;
    i += code > 0xffff ? 2 : 1;
    const set = emptySet();
    add(set, code);
    return { type: 'chars', set: fold(set) };
  };

  const readQuantifier = (atom: RegexNode): RegexNode => {
    const c = source[i];
    let min: number;
    let max: number;
    if (c === '*') [min, max] = [0, Number.POSITIVE_INFINITY];
    else if (c === '+') [min, max] = [1, Number.POSITIVE_INFINITY];
    else if (c === '?') [min, max] = [0, 1];
    else if (c === '{') {
      const match = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(i));
      if (match === null) return atom;
      min = Number(match[1]);
      max =
        match[2] === undefined
          ? min
          : match[3] === ''
            ? Number.POSITIVE_INFINITY
            : Number(match[3]);
      i += match[0].length - 1;
    } else return atom;
    i++;
    if (source[i] === '?') i++; // lazy: the same backtracking shape
    return { type: 'repeat', body: atom, min, max };
  };

  const readSequence = (): RegexNode => {
    const items: RegexNode[] = [];
    while (i < source.length && source[i] !== '|' && source[i] !== ')') {
      items.push(readQuantifier(readAtom()));
    }
    return { type: 'sequence', items };
  };

  function readAlternation(): RegexNode {
    const branches = [readSequence()];
    while (source[i] === '|') {
      i++;
      branches.push(readSequence());
    }
    return branches.length === 1 ? (branches[0] as RegexNode) : { type: 'alternation', branches };
  }

  const tree = readAlternation();
  if (i !== source.length) fail('unbalanced ")"');
  return tree;
}

function consumes(node: RegexNode): CharSet {
  switch (node.type) {
    case 'chars':
      return node.set;
    case 'sequence':
      return node.items.reduce((set, item) => union(set, consumes(item)), emptySet());
    case 'alternation':
      return node.branches.reduce((set, branch) => union(set, consumes(branch)), emptySet());
    case 'group':
      return node.lookaround ? emptySet() : consumes(node.body);
    case 'repeat':
      return node.max === 0 ? emptySet() : consumes(node.body);
    default:
      return node.type === 'backreference' ? fullSet() : emptySet();
  }
}

function nullable(node: RegexNode): boolean {
  switch (node.type) {
    case 'chars':
      return false;
    case 'sequence':
      return node.items.every(nullable);
    case 'alternation':
      return node.branches.some(nullable);
    case 'group':
      return node.lookaround || nullable(node.body);
    case 'repeat':
      return node.min === 0 || nullable(node.body);
    default:
      return true;
  }
}

function firstChars(node: RegexNode): CharSet {
  switch (node.type) {
    case 'chars':
      return node.set;
    case 'sequence': {
      let set = emptySet();
      for (const item of node.items) {
        set = union(set, firstChars(item));
        if (!nullable(item)) break;
      }
      return set;
    }
    case 'alternation':
      return node.branches.reduce((set, branch) => union(set, firstChars(branch)), emptySet());
    case 'group':
      return node.lookaround ? emptySet() : firstChars(node.body);
    case 'repeat':
      return firstChars(node.body);
    default:
      return node.type === 'backreference' ? fullSet() : emptySet();
  }
}

/** Whether a node holds an unbounded quantifier (itself included) that consumes something. */
function hasUnboundedRepeat(node: RegexNode): boolean {
  switch (node.type) {
    case 'sequence':
      return node.items.some(hasUnboundedRepeat);
    case 'alternation':
      return node.branches.some(hasUnboundedRepeat);
    case 'group':
      return hasUnboundedRepeat(node.body);
    case 'repeat':
      return (
        (node.max === Number.POSITIVE_INFINITY && !nullableOnly(node.body)) ||
        hasUnboundedRepeat(node.body)
      );
    default:
      return false;
  }
}

function nullableOnly(node: RegexNode): boolean {
  return consumes(node).every((bit) => bit === 0);
}

function unwrap(node: RegexNode): RegexNode {
  let current = node;
  while (current.type === 'group' && !current.lookaround) current = current.body;
  while (current.type === 'sequence' && current.items.length === 1) {
    current = unwrap(current.items[0] as RegexNode);
  }
  return current;
}

/** A finding of the audit. */
export type RegexRisk =
  | 'nested'
  | 'overlapping-alternation'
  | 'overlapping-adjacent'
  | 'unanchored-leading-repeat';

/**
 * Audits one pattern.
 * @param source - the pattern text
 * @param flags - its flags
 * @returns the risks found, each once, sorted
 */
export function auditRegex(source: string, flags = ''): RegexRisk[] {
  const risks = new Set<RegexRisk>();
  const tree = parseRegex(source, flags);

  const visit = (node: RegexNode): void => {
    if (node.type === 'repeat') {
      if (node.max > 1 && hasUnboundedRepeat(node.body)) risks.add('nested');
      const inner = unwrap(node.body);
      if (node.max > 1 && inner.type === 'alternation') {
        const firsts = inner.branches.map(firstChars);
        for (let a = 0; a < firsts.length; a++) {
          for (let b = a + 1; b < firsts.length; b++) {
            if (overlaps(firsts[a] as CharSet, firsts[b] as CharSet)) {
              risks.add('overlapping-alternation');
            }
          }
        }
      }
      visit(node.body);
    } else if (node.type === 'sequence') {
      checkAdjacent(node.items, risks);
      for (const item of node.items) visit(item);
    } else if (node.type === 'alternation') {
      for (const branch of node.branches) visit(branch);
    } else if (node.type === 'group') {
      visit(node.body);
    }
  };
  visit(tree);

  if (!flags.includes('y')) {
    const branches = tree.type === 'alternation' ? tree.branches : [tree];
    for (const branch of branches) {
      if (hasLeadingRepeatThatCanFail(branch)) risks.add('unanchored-leading-repeat');
    }
  }
  return [...risks].sort();
}

/** Two unbounded repeats with only nullable items between them, over shared characters. */
function checkAdjacent(items: readonly RegexNode[], risks: Set<RegexRisk>): void {
  for (let a = 0; a < items.length; a++) {
    const left = items[a] as RegexNode;
    if (!hasUnboundedRepeat(left)) continue;
    for (let b = a + 1; b < items.length; b++) {
      const right = items[b] as RegexNode;
      if (hasUnboundedRepeat(right) && overlaps(consumes(left), consumes(right))) {
        risks.add('overlapping-adjacent');
      }
      if (!nullable(right)) break;
    }
  }
}

/**
 * An unanchored branch whose first consuming item is an unbounded repeat, followed by
 * something that can still fail: each start position in a long run rescans the run.
 */
function hasLeadingRepeatThatCanFail(branch: RegexNode): boolean {
  const items = branch.type === 'sequence' ? branch.items : [branch];
  for (let k = 0; k < items.length; k++) {
    const item = items[k] as RegexNode;
    if (item.type === 'assertion' && item.kind === '^') return false;
    if (hasUnboundedRepeat(item)) {
      return items.slice(k + 1).some((rest) => !(nullable(rest) && rest.type !== 'assertion'));
    }
    if (!nullable(item)) return false;
  }
  return false;
}
