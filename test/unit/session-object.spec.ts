import { jest } from '@jest/globals';
import {
  SESSION_MEMBERS,
  copyData,
  createSessionObject,
  type SessionOwner,
} from '../../lib/session/session-object.js';

/** An owner that records what the session told it. */
class RecordingOwner implements SessionOwner {
  isNew = true;
  changes: string[] = [];
  regenerations = 0;
  saves = 0;
  seen: object[] = [];
  isChanged(session: object): boolean {
    this.seen.push(session);
    return this.changes.length > 0;
  }
  regenerate(): void {
    this.regenerations++;
  }
  requestSave(): void {
    this.saves++;
  }
  changed(key: string): void {
    this.changes.push(key);
  }
}

function sessionWith(data: Record<string, unknown> = {}) {
  const owner = new RecordingOwner();
  const session = createSessionObject(data, owner);
  return { owner, session };
}

describe('session object', () => {
  it('answers its members from the owner', () => {
    const { owner, session } = sessionWith({ user: 'ada' });
    expect(session.isNew).toBe(true);
    owner.isNew = false;
    expect(session.isNew).toBe(false);
    expect(session.isChanged).toBe(false);
    expect(owner.seen).toHaveLength(1);
    session.views = 1;
    expect(session.isChanged).toBe(true);
  });

  it('is populated exactly when it holds data', () => {
    const { session } = sessionWith();
    expect(session.populated).toBe(false);
    session.user = 'ada';
    expect(session.populated).toBe(true);
    delete session.user;
    expect(session.populated).toBe(false);
  });

  it('shows its members to `in` but not to keys, JSON or spreading', () => {
    const { session } = sessionWith({ user: 'ada' });
    for (const member of SESSION_MEMBERS) expect(member in session).toBe(true);
    expect('user' in session).toBe(true);
    expect('missing' in session).toBe(false);
    expect(Object.keys(session)).toEqual(['user']);
    expect(JSON.stringify(session)).toBe('{"user":"ada"}');
    expect({ ...session }).toEqual({ user: 'ada' });
  });

  it('reports every change of its own keys to the owner', () => {
    const { owner, session } = sessionWith({ a: 1 });
    session.b = 2;
    Object.defineProperty(session, 'c', { value: 3, enumerable: true, writable: true });
    delete session.a;
    expect(owner.changes).toEqual(['b', 'c', 'a']);
    expect(JSON.stringify(session)).toBe('{"b":2,"c":3}');
  });

  it('keeps symbol keys apart from the data and does not report them', () => {
    const { owner, session: created } = sessionWith();
    const session = created as unknown as Record<symbol, unknown>;
    const mark = Symbol('mark');
    session[mark] = 'kept';
    expect(session[mark]).toBe('kept');
    Object.defineProperty(session, Symbol.for('other'), { value: 1 });
    expect(delete session[mark]).toBe(true);
    expect(session[mark]).toBeUndefined();
    expect(owner.changes).toEqual([]);
    expect(JSON.stringify(session)).toBe('{}');
  });

  it.each([...SESSION_MEMBERS])('refuses data under the member name %s', (member) => {
    const { owner, session } = sessionWith();
    expect(() => {
      (session as Record<string, unknown>)[member] = 1;
    }).toThrow(
      new TypeError(
        `"${member}" is a member of the session object and cannot hold data: store it under another key`,
      ),
    );
    expect(() => Object.defineProperty(session, member, { value: 1 })).toThrow(
      new RegExp(`^"${member}" is a member of the session object`),
    );
    expect(owner.changes).toEqual([]);
    expect(Object.keys(session)).toEqual([]);
  });

  it('regenerate() and save() ask the owner, then call a callback with no error', () => {
    const { owner, session } = sessionWith();
    const regenerated = jest.fn();
    const saved = jest.fn();
    session.regenerate(regenerated);
    session.save(saved);
    expect(owner.regenerations).toBe(1);
    expect(owner.saves).toBe(1);
    expect(regenerated).toHaveBeenCalledWith();
    expect(saved).toHaveBeenCalledWith();
  });

  it('regenerate() and save() work without a callback', () => {
    const { owner, session } = sessionWith();
    session.regenerate();
    session.save();
    expect([owner.regenerations, owner.saves]).toEqual([1, 1]);
  });

  it('drops data stored under member names when it is created', () => {
    const data = { user: 'ada', save: 'x', isNew: false, regenerate: 1 };
    const { session } = sessionWith(data);
    expect(Object.keys(session)).toEqual(['user']);
    expect(typeof session.save).toBe('function');
  });

  it('drops a __proto__ merged into it: a request body cannot change its prototype', () => {
    const { session, owner } = sessionWith({ theme: 'light' });
    const body = JSON.parse('{"__proto__": {"role": "admin"}, "theme": "dark"}');
    Object.assign(session, body);
    expect((session as Record<string, unknown>).role).toBeUndefined();
    expect('role' in session).toBe(false);
    expect(Object.getPrototypeOf(session)).toBe(Object.prototype);
    expect(JSON.stringify(session)).toBe('{"theme":"dark"}');
    expect(owner.changes).toEqual(['theme']);
  });

  it('drops an own __proto__ key of the data it is created over', () => {
    const { session } = sessionWith(JSON.parse('{"__proto__": {"role": "admin"}, "a": 1}'));
    expect(Object.hasOwn(session, '__proto__')).toBe(false);
    expect(Object.getPrototypeOf(Object.assign({}, session))).toBe(Object.prototype);
    expect(JSON.stringify(session)).toBe('{"a":1}');
  });

  it('copyData gives a fresh object of the own enumerable data', () => {
    const source = { a: 1, nested: { b: 2 } };
    Object.defineProperty(source, 'hidden', { value: 3, enumerable: false });
    const copy = copyData(source);
    expect(copy).toEqual({ a: 1, nested: { b: 2 } });
    expect(copy).not.toBe(source);
    copy.a = 5;
    expect(source.a).toBe(1);
  });
});
