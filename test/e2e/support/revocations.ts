/**
 * Server-side state a real app would keep in a database: users logged out everywhere. Records
 * the request each check was given, and can fail like a user store that is down.
 */
export class Revocations {
  readonly revoked = new Set<string>();
  readonly requests: unknown[] = [];
  failing = false;

  check(session: Readonly<Record<string, unknown>>, request: unknown): boolean {
    this.requests.push(request);
    if (this.failing) throw new Error('user store unavailable');
    return !this.revoked.has(String(session.user));
  }

  get calls(): number {
    return this.requests.length;
  }
}
