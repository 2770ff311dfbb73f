import type { OpenedSeal } from '../crypto/sealer.js';

/** Bounds of the cache one application keeps: entries, and characters of values plus JSON. */
export const RECENT_SEALS_MAX_ENTRIES = 2_000;
export const RECENT_SEALS_MAX_CHARS = 4_000_000;

/**
 * Seals this process made or authenticated recently, by their exact text, so that the next
 * request carrying the same cookie (a logged-in user's reads, until the next renewal) skips the
 * cipher. Opening a seal is a pure function of its text under one key ring and cookie name, so
 * a hit gives exactly what decrypting would; only values that were sealed here or opened
 * successfully are ever stored, so a forged or altered value always misses and is decrypted
 * (and refused) as before. Entries hold the JSON text, never a parsed object, so every request
 * gets its own data. The least recently used entries go first once a bound is reached.
 */
export class RecentSeals {
  readonly #entries = new Map<string, OpenedSeal>();
  #chars = 0;

  constructor(
    private readonly maxEntries = RECENT_SEALS_MAX_ENTRIES,
    private readonly maxChars = RECENT_SEALS_MAX_CHARS,
  ) {}

  get size(): number {
    return this.#entries.size;
  }

  /** The opened seal stored for exactly this value, if any (marked as recently used). */
  get(value: string): OpenedSeal | undefined {
    const entry = this.#entries.get(value);
    if (entry !== undefined) {
      this.#entries.delete(value);
      this.#entries.set(value, entry);
    }
    return entry;
  }

  /** The opened seal stored for exactly this value, if any, leaving the order of use alone. */
  peek(value: string): OpenedSeal | undefined {
    return this.#entries.get(value);
  }

  /** Stores a seal that was just made or authenticated; values too large for the bound are not. */
  remember(value: string, opened: OpenedSeal): void {
    const chars = charsOf(value, opened);
    if (chars > this.maxChars / 4 || this.#entries.has(value)) return;
    this.#entries.set(value, opened);
    this.#chars += chars;
    while (this.#entries.size > this.maxEntries || this.#chars > this.maxChars) {
      // A Map iterates in insertion order, and get() re-inserts what it finds: the first entry
      // is the least recently used.
      const [oldest, entry] = this.#entries.entries().next().value!;
      this.forget(oldest, entry);
    }
  }

  /** Drops a value (e.g. one found out of date). */
  forget(value: string, opened = this.#entries.get(value)): void {
    if (opened === undefined || !this.#entries.delete(value)) return;
    this.#chars -= charsOf(value, opened);
  }
}

function charsOf(value: string, opened: OpenedSeal): number {
  return value.length + opened.json.length;
}
