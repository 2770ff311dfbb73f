import { randomBytes, scrypt, scryptSync, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { Injectable } from '@nestjs/common';

const scryptAsync = promisify(scrypt) as (
  password: string,
  salt: Buffer,
  length: number,
) => Promise<Buffer>;
const KEY_LENGTH = 32;

interface User {
  readonly name: string;
  readonly salt: Buffer;
  /** scrypt(password, salt): the password itself is never kept. */
  readonly hash: Buffer;
  /**
   * Bumped by "log out everywhere". A session records the stamp of its login, and the session
   * module's `validate` refuses sessions whose stamp is no longer the user's.
   */
  stamp: number;
}

/** The demo accounts (name → password), shown on the login form. */
export const DEMO_USERS: Readonly<Record<string, string>> = {
  ada: 'analytical-engine',
  grace: 'compiler-1952',
};

function hashed(name: string, password: string): User {
  const salt = randomBytes(16);
  return { name, salt, hash: scryptSync(password, salt, KEY_LENGTH), stamp: 1 };
}

/** A small in-memory user list: enough for a sample, gone at restart. */
@Injectable()
export class UsersService {
  private readonly users = new Map(
    Object.entries(DEMO_USERS).map(([name, password]) => [name, hashed(name, password)]),
  );
  /** Hashed against when the name is unknown, so a wrong name costs as long as a wrong password. */
  private readonly nobody = hashed('', randomBytes(16).toString('hex'));

  /** The user's name when the password is right, else `undefined`. */
  async verify(name: string, password: string): Promise<string | undefined> {
    const user = this.users.get(name) ?? this.nobody;
    const hash = await scryptAsync(password, user.salt, KEY_LENGTH);
    return timingSafeEqual(hash, user.hash) && user !== this.nobody ? user.name : undefined;
  }

  stampOf(name: string): number | undefined {
    return this.users.get(name)?.stamp;
  }

  /** Whether a session's user still exists and its stamp is current (no "log out everywhere" since). */
  isCurrent(name: unknown, stamp: unknown): boolean {
    return typeof name === 'string' && stamp !== undefined && this.stampOf(name) === stamp;
  }

  /** "Log out everywhere": every session stamped before now stops being valid. Returns the new stamp. */
  bumpStamp(name: string): number {
    const user = this.users.get(name);
    if (!user) throw new Error(`no user ${JSON.stringify(name)}`);
    return ++user.stamp;
  }
}
