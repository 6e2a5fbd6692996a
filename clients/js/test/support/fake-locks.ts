import type { LockManagerLike } from '../../dist/index.js';

/** `navigator.locks` for one process: exclusive, first come first served, with `ifAvailable`. */
export class FakeLocks implements LockManagerLike {
  granted = 0;
  refusedIfAvailable = 0;
  private readonly tails = new Map<string, Promise<void>>();
  private readonly pending = new Map<string, number>();

  async request<T>(name: string, options: { ifAvailable?: boolean }, callback: (lock: unknown) => Promise<T>): Promise<T> {
    if (options.ifAvailable === true && (this.pending.get(name) ?? 0) > 0) {
      this.refusedIfAvailable++;
      return callback(null);
    }
    const previous = this.tails.get(name) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    this.tails.set(name, previous.then(() => mine));
    this.pending.set(name, (this.pending.get(name) ?? 0) + 1);
    await previous;
    this.granted++;
    try {
      return await callback({ name, mode: 'exclusive' });
    } finally {
      this.pending.set(name, (this.pending.get(name) ?? 1) - 1);
      release();
    }
  }
}
