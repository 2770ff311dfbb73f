import type { SessionObject as Session } from './session-data.interface.js';

/** What a session object needs from the request it belongs to. */
export interface SessionOwner {
  readonly isNew: boolean;
  isChanged(session: object): boolean;
  regenerate(): void;
  requestSave(): void;
  /**
   * Told of every change to the session's own keys (nested changes show in the JSON only), with
   * the data object changed: one the owner has replaced since is no longer its session.
   */
  changed(key: string, data: object): void;
}

/** The session object's own members: never data, never stored. */
export const SESSION_MEMBERS: ReadonlySet<string> = new Set([
  'isNew',
  'populated',
  'isChanged',
  'regenerate',
  'save',
]);

const PROTO = '__proto__';

function refuse(key: string): never {
  throw new TypeError(
    `"${key}" is a member of the session object and cannot hold data: store it under another key`,
  );
}

type Member = (callback?: (err?: unknown) => void) => void;

/** A member that does `action`, then calls back as express-session's members do. */
function withCallback(action: () => void): Member {
  return (callback) => {
    action();
    if (typeof callback === 'function') callback();
  };
}

/**
 * The traps of one session object: its data lives in the target, a plain object that JSON,
 * `Object.keys` and spreading see as it is; the members answer from the owner. The handler is
 * the session's only link to its request.
 */
class SessionHandler implements ProxyHandler<Record<string, unknown>> {
  // Passport 0.6+ calls these on req.session when it logs a user in or out. Made on first
  // read (most requests never read them), then the same function on every read.
  #regenerate: Member | undefined;
  #save: Member | undefined;

  constructor(private readonly owner: SessionOwner) {}

  get(target: Record<string, unknown>, key: string | symbol, receiver: unknown): unknown {
    if (typeof key === 'string' && SESSION_MEMBERS.has(key)) {
      switch (key) {
        case 'isNew':
          return this.owner.isNew;
        case 'populated':
          return Object.keys(target).length > 0;
        case 'isChanged':
          return this.owner.isChanged(target);
        case 'regenerate':
          return (this.#regenerate ??= withCallback(() => this.owner.regenerate()));
        default:
          return (this.#save ??= withCallback(() => this.owner.requestSave()));
      }
    }
    return Reflect.get(target, key, receiver);
  }

  set(target: Record<string, unknown>, key: string | symbol, value: unknown): boolean {
    // Assigning `__proto__` would replace the data's prototype (a request body merged with
    // `Object.assign` could make every key appear set): it is not data, and is dropped.
    if (key === PROTO) return true;
    if (typeof key === 'string') {
      if (SESSION_MEMBERS.has(key)) refuse(key);
      this.owner.changed(key, target);
    }
    return Reflect.set(target, key, value);
  }

  defineProperty(
    target: Record<string, unknown>,
    key: string | symbol,
    descriptor: PropertyDescriptor,
  ): boolean {
    if (typeof key === 'string') {
      if (SESSION_MEMBERS.has(key)) refuse(key);
      this.owner.changed(key, target);
    }
    return Reflect.defineProperty(target, key, descriptor);
  }

  deleteProperty(target: Record<string, unknown>, key: string | symbol): boolean {
    if (typeof key === 'string') this.owner.changed(key, target);
    return Reflect.deleteProperty(target, key);
  }

  has(target: Record<string, unknown>, key: string | symbol): boolean {
    return (typeof key === 'string' && SESSION_MEMBERS.has(key)) || Reflect.has(target, key);
  }
}

/**
 * The session object of `owner` over a fresh object of JSON data (never one the caller keeps
 * using). Keys named like a member are dropped, as cookie-session does, so data merged into a
 * session cannot shadow `regenerate` or `save`.
 */
export function createSessionObject(data: Record<string, unknown>, owner: SessionOwner): Session {
  for (const key of SESSION_MEMBERS) if (Object.hasOwn(data, key)) delete data[key];
  // An own `__proto__` key (JSON.parse makes one) would set the prototype of any object the
  // session is later copied into with `Object.assign`.
  if (Object.hasOwn(data, PROTO)) delete data[PROTO];
  return new Proxy(data, new SessionHandler(owner)) as Session;
}

/** The own enumerable data of `value`, as a fresh object (`createSessionObject` drops member names). */
export function copyData(value: object): Record<string, unknown> {
  return { ...(value as Record<string, unknown>) };
}
