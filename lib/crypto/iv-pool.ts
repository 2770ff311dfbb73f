import { randomFillSync } from 'node:crypto';
import { IV_LENGTH } from './seal-format.js';

const IVS_PER_FILL = 1024;

/**
 * Hands out fresh random 96-bit IVs. One `randomFillSync` call fills the pool for 1024 seals:
 * the bytes are the same CSPRNG output `randomBytes(12)` would give, at a fraction of the
 * per-call cost. Every slot is used once and the pool is refilled, never rewound.
 */
export class IvPool {
  private readonly pool = Buffer.alloc(IV_LENGTH * IVS_PER_FILL);
  private offset = this.pool.length;

  /** Writes the next IV into `target` at `targetOffset`. */
  writeNext(target: Buffer, targetOffset: number): void {
    if (this.offset === this.pool.length) {
      randomFillSync(this.pool);
      this.offset = 0;
    }
    this.pool.copy(target, targetOffset, this.offset, this.offset + IV_LENGTH);
    this.offset += IV_LENGTH;
  }
}
