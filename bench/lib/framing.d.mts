export function findEmptyLine(buffer: Buffer, from: number): number;
export function contentLengthOf(bytes: Buffer, start: number, end: number): number;
export function createFramer(
  onFrame: (buffer: Buffer, start: number, emptyLine: number, end: number) => void,
): { push(chunk: Buffer): void; end(): void };
