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
  if (input.sameSite === 'none' && input.secure === false) {
    return {
      option: 'sameSite',
      problem:
        "'none' requires secure: true (or 'auto'): browsers reject SameSite=None cookies without Secure",
    };
  }
  if (input.partitioned && input.secure === false)
    return { option: 'partitioned', problem: "requires secure: true (or 'auto')" };
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
