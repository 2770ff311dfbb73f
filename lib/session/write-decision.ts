/** What is known about a session when its response's headers are written. */
export interface WriteFacts {
  /** A valid session cookie (or an adopted cookie of a replaced library) came in and still holds. */
  readonly carried: boolean;
  /** The session was destroyed, regenerated or refused by `validate`. */
  readonly ended: boolean;
  /** The data differs from what came in (or, for a new session, from `{}`). */
  readonly changed: boolean;
  /** The session holds data. */
  readonly populated: boolean;
  /** `save()` was called. */
  readonly saveRequested: boolean;
  readonly saveUninitialized: boolean;
  /** `autoRenew` and the seal is `renewAfter` old, or was sealed under an old key. */
  readonly renewalDue: boolean;
  /** `validate` passed and its time must be recorded, so the next requests skip the check. */
  readonly revalidated: boolean;
  /** The data came from a cookie of a replaced library: it must be re-sealed. */
  readonly adopted: boolean;
}

/** `seal`: write a fresh seal; `clear`: expire the cookie; `nothing`: no `Set-Cookie`. */
export type WriteDecision = 'seal' | 'clear' | 'nothing';

/**
 * Whether a response writes the session cookie: one rule per line of the README's "When a
 * cookie is written" table. Pure, so that table is tested line by line.
 */
export function decideWrite(facts: WriteFacts): WriteDecision {
  if (facts.carried && !facts.ended) {
    // Emptied by the application: the cookie goes, unless guests keep one.
    if (facts.changed && !facts.populated && !facts.saveUninitialized) return 'clear';
    const due = facts.changed || facts.saveRequested || facts.renewalDue;
    return due || facts.revalidated || facts.adopted ? 'seal' : 'nothing';
  }
  // A new session (none came in, or it ended during this request).
  if (facts.populated || facts.saveRequested) return 'seal';
  // A logout always clears, even when the request carried no cookie, and even where guests
  // keep a cookie: the next request gets its guest session afresh.
  if (facts.ended) return 'clear';
  return facts.saveUninitialized ? 'seal' : 'nothing';
}
