/** What the cookie prefix and attribute rules look at. */
export interface CookieRuleInput {
  readonly name: string;
  readonly secure: boolean | 'auto';
  readonly path: string;
  readonly domain?: string;
  readonly sameSite: 'lax' | 'strict' | 'none' | false;
  readonly partitioned?: boolean;
}

/** Cookie-name prefixes are matched case-insensitively by browsers (RFC 6265bis §4.1.3). */
export function hasPrefix(name: string, prefix: string): boolean {
  return name.slice(0, prefix.length).toLowerCase() === prefix.toLowerCase();
}

/** Whether options allow a `__Host-` name: `Secure`, `Path=/`, no `Domain`. */
export function allowsHostPrefix(input: Omit<CookieRuleInput, 'name' | 'sameSite'>): boolean {
  return input.secure === true && input.path === '/' && input.domain === undefined;
}

/**
 * The rules browsers enforce by dropping the cookie silently: checked at start-up for the
 * module's options and before writing for a request's own. Returns the option at fault and what
 * is wrong, or `undefined`.
 */
export function cookieRuleViolation(
  input: CookieRuleInput,
): { option: string; problem: string } | undefined {
  // 'auto' is not enough: it leaves Secure off on plain HTTP, where the cookie would be dropped
  // in silence. Browsers accept Secure cookies from http://localhost, so `true` costs nothing.
  if (input.sameSite === 'none' && input.secure !== true) {
    return {
      option: 'sameSite',
      problem: `'none' requires secure: true (got ${String(input.secure)}): browsers reject SameSite=None cookies without Secure`,
    };
  }
  if (input.partitioned && input.secure !== true) {
    return {
      option: 'partitioned',
      problem: `requires secure: true (got ${String(input.secure)}): browsers reject Partitioned cookies without Secure`,
    };
  }
  if (hasPrefix(input.name, '__Secure-') && input.secure !== true)
    return { option: 'name', problem: 'starts with "__Secure-", which requires secure: true' };
  if (hasPrefix(input.name, '__Host-') && !allowsHostPrefix(input)) {
    return {
      option: 'name',
      problem: 'starts with "__Host-", which requires secure: true, path "/" and no domain',
    };
  }
  return undefined;
}
