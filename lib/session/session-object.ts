import type { SessionObject as Session } from '../session-data.interface.js';

/** What a session object needs from the request it belongs to. */
export interface SessionOwner {
  readonly isNew: boolean;
  isChanged(session: object): boolean;
  regenerate(): object;
  requestSave(): void;
}

/** A class whose constructor returns the object it is given, so a subclass can add fields to it. */
class Adopted {
  constructor(data: object) {
    return data;
  }
}

/**
 * Links a session object to its request through a private field stamped onto the data object
 * itself: invisible to JSON, `Object.keys` and spreading, like a WeakMap entry, but without the
 * WeakMap's per-entry cost on every request and in every garbage collection.
 */
class OwnerStamp extends Adopted {
  readonly #owner: SessionOwner;

  constructor(data: object, owner: SessionOwner) {
    super(data);
    this.#owner = owner;
  }

  static find(session: object): SessionOwner | undefined {
    return #owner in session ? (session as OwnerStamp).#owner : undefined;
  }
}

function ownerOf(session: object): SessionOwner {
  const owner = OwnerStamp.find(session);
  if (!owner) throw new TypeError('This session object no longer belongs to a request');
  return owner;
}

function callBack(callback: unknown): void {
  if (typeof callback === 'function') callback();
}

// Members live on the prototype, so they are non-enumerable: JSON.stringify, Object.keys and
// spreading see the data only, and nothing of this is ever sealed into the cookie.
const SESSION_PROTOTYPE = Object.create(Object.prototype, {
  isNew: {
    get(this: object) {
      return OwnerStamp.find(this)?.isNew ?? true;
    },
  },
  populated: {
    get(this: object) {
      return Object.keys(this).length > 0;
    },
  },
  isChanged: {
    get(this: object) {
      return OwnerStamp.find(this)?.isChanged(this) ?? false;
    },
  },
  // Passport 0.6+ calls these on req.session when it logs a user in or out.
  regenerate: {
    value(this: object, callback?: (err?: unknown) => void) {
      ownerOf(this).regenerate();
      callBack(callback);
    },
  },
  save: {
    value(this: object, callback?: (err?: unknown) => void) {
      ownerOf(this).requestSave();
      callBack(callback);
    },
  },
});

/**
 * Turns a fresh object of JSON data (never one the caller keeps using) into the session object
 * of `owner`, in place.
 */
export function adoptAsSession(data: object, owner: SessionOwner): Session {
  // Stamped before the prototype changes: V8 handles the other order more slowly.
  new OwnerStamp(data, owner);
  Object.setPrototypeOf(data, SESSION_PROTOTYPE);
  return data as Session;
}
