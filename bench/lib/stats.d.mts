export function median(values: readonly number[]): number;
export function range(values: readonly number[]): { min: number; max: number };
export function formatRate(value: number): string;
export function formatRatio(value: number): string;
export function formatMiB(bytes: number): string;
