// Small helpers to summarise rounds and print markdown tables.

export function median(values) {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** 1234567 -> "1,234,567"; small numbers keep some digits. */
export function num(value, digits) {
  if (!Number.isFinite(value)) return 'n/a';
  const d = digits ?? (Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2);
  return value.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
}

export function ratio(value, base) {
  return Number.isFinite(value) && Number.isFinite(base) && base > 0
    ? `${(value / base).toFixed(2)}×`
    : 'n/a';
}

/** A markdown table; the first `textColumns` columns are left-aligned, numbers right-aligned. */
export function table(headers, rows, textColumns = 1) {
  const line = (cells) => `| ${cells.join(' | ')} |`;
  const align = headers.map((_, i) => (i < textColumns ? '---' : '---:'));
  return [line(headers), line(align), ...rows.map(line)].join('\n');
}

export function mb(bytes) {
  return `${(bytes / 1024 / 1024).toFixed(2)} MB`;
}
