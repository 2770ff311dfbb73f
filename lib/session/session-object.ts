import type { SessionObject as Session } from '../session-data.interface.js';

/** What a session object needs from the request it belongs to. */
export interface SessionOwner {
  readonly isNew: boolean;
  isChanged(session: object): boolean;
  regenerate(): object;
  requestSave(): void;
}

const owners = new WeakMap<object, SessionOwner>();

function ownerOf(session: object): SessionOwner {
  const owner = owners.get(session);
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
      return owners.get(this)?.isNew ?? true;
    },
  },
  populated: {
    get(this: object) {
      return Object.keys(this).length > 0;
    },
  },
  isChanged: {
    get(this: object) {
      return owners.get(this)?.isChanged(this) ?? false;
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
  Object.setPrototypeOf(data, SESSION_PROTOTYPE);
  owners.set(data, owner);
  return data as Session;
}
