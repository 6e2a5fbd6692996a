import { isObject } from './error.js';

/** The part of the Web Locks API (`navigator.locks`) used here. */
export interface LockManagerLike {
  request<T>(name: string, options: { ifAvailable?: boolean }, callback: (lock: unknown) => Promise<T>): Promise<T>;
}

/** The part of `BroadcastChannel` used here. */
export interface BroadcastChannelLike {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  close(): void;
}

export type BroadcastChannelFactory = new (name: string) => BroadcastChannelLike;

/** What the tabs of one origin tell each other; same-origin only, never stored. */
export type TabMessage =
  | { readonly type: 'token'; readonly accessToken: string; readonly expiresAt: number; readonly refreshAt: number }
  | { readonly type: 'ended'; readonly code: string };

/** Coordination between the tabs of one browser; each part degrades to a no-op when its API is missing. */
export interface Tabs {
  /** Runs `work` while holding the cross-tab lock; `contended` tells whether another tab held it first. */
  exclusive<T>(work: (contended: boolean) => Promise<T>): Promise<T>;
  publish(message: TabMessage): void;
  /** Resolves when `done()` holds after a message has arrived, or after `ms` milliseconds. */
  waitForMessage(done: () => boolean, ms: number): Promise<void>;
  close(): void;
}

export function createTabs(
  name: string,
  locks: LockManagerLike | null,
  Channel: BroadcastChannelFactory | null,
  onMessage: (message: TabMessage) => void,
): Tabs {
  const channel = open(name, Channel);
  const waiters = new Set<() => void>();
  channel?.addEventListener('message', (event) => {
    const message = parse(event.data);
    if (message === undefined) return;
    onMessage(message);
    for (const waiter of [...waiters]) waiter();
  });

  async function exclusive<T>(work: (contended: boolean) => Promise<T>): Promise<T> {
    if (locks === null) return work(false);
    const busy = Symbol('busy');
    const first = await locks.request(name, { ifAvailable: true }, async (lock) => (lock === null ? busy : work(false)));
    if (first !== busy) return first as T;
    return locks.request(name, {}, () => work(true));
  }

  function waitForMessage(done: () => boolean, ms: number): Promise<void> {
    if (channel === null || done()) return Promise.resolve();
    return new Promise((resolve) => {
      const finish = () => {
        clearTimeout(timer);
        waiters.delete(check);
        resolve();
      };
      const check = () => {
        if (done()) finish();
      };
      const timer = setTimeout(finish, ms);
      waiters.add(check);
    });
  }

  return {
    exclusive,
    publish: (message) => channel?.postMessage(message),
    waitForMessage,
    close: () => channel?.close(),
  };
}

function open(name: string, Channel: BroadcastChannelFactory | null): BroadcastChannelLike | null {
  if (Channel === null) return null;
  try {
    const channel = new Channel(name);
    // Node keeps the process alive for an open channel; a browser has no unref.
    (channel as { unref?: () => void }).unref?.();
    return channel;
  } catch {
    return null;
  }
}

function parse(data: unknown): TabMessage | undefined {
  if (!isObject(data)) return undefined;
  if (
    data['type'] === 'token' &&
    typeof data['accessToken'] === 'string' &&
    typeof data['expiresAt'] === 'number' &&
    typeof data['refreshAt'] === 'number'
  ) {
    return { type: 'token', accessToken: data['accessToken'], expiresAt: data['expiresAt'], refreshAt: data['refreshAt'] };
  }
  if (data['type'] === 'ended' && typeof data['code'] === 'string') return { type: 'ended', code: data['code'] };
  return undefined;
}

export function browserLocks(): LockManagerLike | null {
  return typeof navigator !== 'undefined' && navigator.locks !== undefined ? navigator.locks : null;
}

export function browserBroadcastChannel(): BroadcastChannelFactory | null {
  return typeof BroadcastChannel === 'undefined' ? null : BroadcastChannel;
}
