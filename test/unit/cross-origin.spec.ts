import type { IncomingHttpHeaders } from 'node:http';
import * as fc from 'fast-check';
import {
  crossOriginRefusal,
  normalizeOrigin,
  resolveCrossOriginOption,
  type CrossOriginPolicy,
} from '../../lib/cookie/cross-origin.js';

const APP_HOST = 'app.example.com';
const OTHER_ORIGIN = 'https://spa.example.com';

const METHODS = ['GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
const FETCH_SITES = ['absent', 'same-origin', 'none', 'same-site', 'cross-site', 'junk'] as const;
const ORIGINS = ['absent', 'same', 'different', 'null'] as const;
const TRUST = ['not trusted', 'trusted'] as const;

type Case = {
  method: (typeof METHODS)[number];
  fetchSite: (typeof FETCH_SITES)[number];
  origin: (typeof ORIGINS)[number];
  trust: (typeof TRUST)[number];
};

const ORIGIN_HEADER = {
  same: `https://${APP_HOST}`,
  different: OTHER_ORIGIN,
  null: 'null',
} as const;

function headersOf({ fetchSite, origin }: Case): IncomingHttpHeaders {
  const headers: IncomingHttpHeaders = { host: APP_HOST };
  if (fetchSite === 'junk') headers['sec-fetch-site'] = 'Same-Origin; <b>';
  else if (fetchSite !== 'absent') headers['sec-fetch-site'] = fetchSite;
  if (origin !== 'absent') headers.origin = ORIGIN_HEADER[origin];
  return headers;
}

function policyOf({ trust }: Case, trustProxy = false): CrossOriginPolicy {
  return {
    trustedOrigins: new Set(trust === 'trusted' ? [OTHER_ORIGIN] : []),
    trustProxy,
  };
}

/**
 * What the protection should decide, said the way a reader would: reads always pass; a browser
 * that says where the request comes from is believed; otherwise the Origin must be this host;
 * a listed origin always passes.
 */
function expectedVerdict({ method, fetchSite, origin, trust }: Case): 'pass' | 'refused' {
  const isRead = method === 'GET' || method === 'HEAD' || method === 'OPTIONS';
  const fromListedOrigin = origin === 'different' && trust === 'trusted';
  if (isRead || fromListedOrigin) return 'pass';
  if (fetchSite !== 'absent') {
    return fetchSite === 'same-origin' || fetchSite === 'none' ? 'pass' : 'refused';
  }
  return origin === 'absent' || origin === 'same' ? 'pass' : 'refused';
}

const CASES: Case[] = METHODS.flatMap((method) =>
  FETCH_SITES.flatMap((fetchSite) =>
    ORIGINS.flatMap((origin) => TRUST.map((trust) => ({ method, fetchSite, origin, trust }))),
  ),
);

const POLICY: CrossOriginPolicy = { trustedOrigins: new Set(), trustProxy: false };

function verdict(
  method: string,
  headers: IncomingHttpHeaders,
  policy: CrossOriginPolicy = POLICY,
): 'pass' | 'refused' {
  return crossOriginRefusal(method, headers, policy) === undefined ? 'pass' : 'refused';
}

describe('crossOriginRefusal over every method and header combination', () => {
  it('covers 7 methods × 6 Sec-Fetch-Site × 4 Origin × 2 trust settings', () => {
    expect(CASES).toHaveLength(336);
    expect(new Set(CASES.map(expectedVerdict))).toEqual(new Set(['pass', 'refused']));
  });

  it.each(CASES)('$method with Sec-Fetch-Site $fetchSite, Origin $origin, $trust', (testCase) => {
    expect(verdict(testCase.method, headersOf(testCase), policyOf(testCase))).toBe(
      expectedVerdict(testCase),
    );
  });
});

describe('the refusal message', () => {
  const fix = 'add the origin to csrf.trustedOrigins, or mark the route with @CsrfExempt()';

  it.each(['cross-site', 'same-site'])('names Sec-Fetch-Site: %s and what to change', (site) => {
    const message = crossOriginRefusal('POST', { host: APP_HOST, 'sec-fetch-site': site }, POLICY);
    expect(message).toContain(`Sec-Fetch-Site: ${site}`);
    expect(message).toContain(fix);
  });

  it('does not echo an unknown Sec-Fetch-Site value', () => {
    const message = crossOriginRefusal(
      'POST',
      { host: APP_HOST, 'sec-fetch-site': '<script>x</script>' },
      POLICY,
    );
    expect(message).toContain('Sec-Fetch-Site: an unknown value');
    expect(message).not.toContain('script');
  });

  it('names the Origin header without echoing its value', () => {
    const message = crossOriginRefusal(
      'DELETE',
      { host: APP_HOST, origin: 'https://evil-<b>.example' },
      POLICY,
    );
    expect(message).toContain('Origin header from another origin');
    expect(message).toContain(fix);
    expect(message).not.toContain('evil');
  });
});

describe('Origin against Host', () => {
  const passes: [string, string][] = [
    ['http://a.test', 'a.test:80'],
    ['http://a.test', 'a.test'],
    ['https://a.test', 'a.test:443'],
    ['https://a.test', 'a.test'],
    ['https://A.Test', 'a.TEST'],
    ['http://a.test:3000', 'a.test:3000'],
    ['http://127.0.0.1:8080', '127.0.0.1:8080'],
    ['http://[::1]:3000', '[::1]:3000'],
    ['http://[::1]', '[0:0:0:0:0:0:0:1]:80'],
  ];
  const refused: [string, string | undefined][] = [
    ['http://a.test:3000', 'a.test:3001'],
    ['http://a.test:3000', 'a.test'],
    ['https://b.test', 'a.test'],
    ['https://a.test.evil.test', 'a.test'],
    ['https://a.test', 'a.test.evil.test'],
    ['http://[::1]:3000', '[::2]:3000'],
    ['https://a.test', undefined],
    ['https://a.test', ''],
    ['https://a.test', 'a.test/path'],
    ['https://a.test/', 'a.test'],
    ['https://user@a.test', 'a.test'],
    ['file://a.test', 'a.test'],
    ['null', 'a.test'],
  ];

  it.each(passes)('passes Origin %s with Host %s', (origin, host) => {
    expect(verdict('POST', { origin, host })).toBe('pass');
  });

  it.each(refused)('refuses Origin %j with Host %j', (origin, host) => {
    const headers: IncomingHttpHeaders = host === undefined ? { origin } : { origin, host };
    expect(verdict('POST', headers)).toBe('refused');
  });

  it('treats an empty Origin as absent (browsers never send one)', () => {
    expect(verdict('POST', { origin: '', host: 'a.test' })).toBe('pass');
    expect(verdict('POST', { origin: '', host: 'a.test', 'sec-fetch-site': 'cross-site' })).toBe(
      'refused',
    );
  });
});

describe('HTTP/2 :authority', () => {
  it('stands for Host, which HTTP/2 requests may leave out', () => {
    const headers = { ':authority': 'a.test:8443' };
    expect(verdict('POST', { ...headers, origin: 'https://a.test:8443' })).toBe('pass');
    expect(verdict('POST', { ...headers, origin: 'https://evil.test' })).toBe('refused');
  });

  it('is what the request was addressed to when a Host header differs', () => {
    const headers = { ':authority': 'a.test', host: 'evil.test' };
    expect(verdict('POST', { ...headers, origin: 'https://a.test' })).toBe('pass');
    expect(verdict('POST', { ...headers, origin: 'https://evil.test' })).toBe('refused');
  });
});

describe('X-Forwarded-Host', () => {
  const behindProxy: CrossOriginPolicy = { trustedOrigins: new Set(), trustProxy: true };

  it('is ignored unless the proxy is trusted, so a spoofed one cannot look same-origin', () => {
    const headers = {
      host: APP_HOST,
      origin: 'https://evil.test',
      'x-forwarded-host': 'evil.test',
    };
    expect(verdict('POST', headers)).toBe('refused');
    expect(verdict('POST', headers, behindProxy)).toBe('pass');
  });

  it('replaces Host when the proxy is trusted', () => {
    const headers = {
      host: 'backend:3000',
      origin: `https://${APP_HOST}`,
      'x-forwarded-host': APP_HOST,
    };
    expect(verdict('POST', headers, behindProxy)).toBe('pass');
    expect(verdict('POST', { ...headers, origin: 'http://backend:3000' }, behindProxy)).toBe(
      'refused',
    );
    expect(verdict('POST', headers)).toBe('refused');
  });

  it.each([`${APP_HOST}, evil.test`, [APP_HOST, 'evil.test'], ` ${APP_HOST} ,evil.test`])(
    'takes the first of several values (%j)',
    (forwarded) => {
      const headers = { host: 'backend', 'x-forwarded-host': forwarded };
      expect(verdict('POST', { ...headers, origin: `https://${APP_HOST}` }, behindProxy)).toBe(
        'pass',
      );
      expect(verdict('POST', { ...headers, origin: 'https://evil.test' }, behindProxy)).toBe(
        'refused',
      );
    },
  );
});

describe('odd header values', () => {
  it('refuses several Origin values, even if one is this host', () => {
    const origin = [`https://${APP_HOST}`, 'https://evil.test'] as unknown as string;
    expect(verdict('POST', { host: APP_HOST, origin })).toBe('refused');
  });

  it('reads an Origin given once as an array', () => {
    const origin = [`https://${APP_HOST}`] as unknown as string;
    expect(verdict('POST', { host: APP_HOST, origin })).toBe('pass');
  });

  it('refuses a repeated Sec-Fetch-Site even when it starts with same-origin', () => {
    expect(verdict('POST', { 'sec-fetch-site': 'same-origin, cross-site' })).toBe('refused');
    const site = ['same-origin', 'cross-site'] as unknown as string;
    expect(verdict('POST', { 'sec-fetch-site': site })).toBe('refused');
  });

  it('judges a method in lower case as unsafe', () => {
    expect(verdict('get', { 'sec-fetch-site': 'cross-site' })).toBe('refused');
  });

  it('never throws, whatever the headers hold', () => {
    const value = fc.oneof(
      fc.string(),
      fc.constantFrom('null', 'https://a.test', 'a.test', 'same-origin', 'cross-site', ''),
      fc.array(fc.string(), { maxLength: 3 }),
      fc.anything(),
    );
    const headers = fc.record(
      { host: value, origin: value, 'sec-fetch-site': value, 'x-forwarded-host': value },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.constantFrom(...METHODS), headers, fc.boolean(), (method, h, trustProxy) => {
        const result = crossOriginRefusal(method, h as IncomingHttpHeaders, {
          trustedOrigins: new Set(['https://a.test']),
          trustProxy,
        });
        return result === undefined || typeof result === 'string';
      }),
      { numRuns: 2000 },
    );
  });
});

describe('normalizeOrigin', () => {
  it.each([
    ['HTTPS://App.Example.COM', 'https://app.example.com'],
    ['http://a.test:80', 'http://a.test'],
    ['https://a.test:443', 'https://a.test'],
    ['http://a.test:443', 'http://a.test:443'],
    ['https://a.test:80', 'https://a.test:80'],
    ['https://a.test:8443', 'https://a.test:8443'],
    ['http://127.0.0.1:3000', 'http://127.0.0.1:3000'],
    ['http://[::1]:3000', 'http://[::1]:3000'],
    ['http://[0:0:0:0:0:0:0:1]:80', 'http://[::1]'],
    ['https://[2001:DB8::1]', 'https://[2001:db8::1]'],
  ])('normalises %s to %s', (input, output) => {
    expect(normalizeOrigin(input)).toBe(output);
  });

  it.each([
    'https://a.test/',
    'https://a.test/path',
    'https://a.test?q=1',
    'https://a.test#top',
    'https://user@a.test',
    'https://user:pass@a.test',
    'ftp://a.test',
    'ws://a.test',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'null',
    '',
    'a.test',
    '//a.test',
    'https://',
    ' https://a.test',
    'https://a.test ',
    'https://a test',
    'https://a.test:99999',
    'https:\\\\a.test',
    'http://[::1',
    `https://${'a'.repeat(3000)}.test`,
  ])('refuses %j', (input) => {
    expect(normalizeOrigin(input)).toBeUndefined();
  });
});

describe('resolveCrossOriginOption', () => {
  class OptionError extends Error {
    constructor(
      readonly option: string,
      problem: string,
    ) {
      super(`${option} ${problem}`);
    }
  }
  const fail = (option: string, problem: string): never => {
    throw new OptionError(option, problem);
  };
  function failureOf(value: unknown): OptionError {
    try {
      resolveCrossOriginOption(value, false, fail);
    } catch (error) {
      if (error instanceof OptionError) return error;
      throw error;
    }
    throw new Error(`${JSON.stringify(value)} was accepted`);
  }

  it('is on with no trusted origins when unset or true', () => {
    for (const value of [undefined, true, {}, { trustedOrigins: [] }]) {
      const policy = resolveCrossOriginOption(value, true, fail);
      expect(policy?.trustedOrigins.size).toBe(0);
      expect(policy?.trustProxy).toBe(true);
    }
  });

  it('is off when false', () => {
    expect(resolveCrossOriginOption(false, false, fail)).toBeUndefined();
  });

  it('normalises trusted origins, tolerating one trailing slash', () => {
    const policy = resolveCrossOriginOption(
      { trustedOrigins: ['HTTPS://SPA.example.com:443/', 'http://localhost:5173'] },
      false,
      fail,
    );
    expect([...policy!.trustedOrigins]).toEqual([
      'https://spa.example.com',
      'http://localhost:5173',
    ]);
  });

  it.each([null, 'true', 1, [], () => true])('refuses csrf: %p', (value) => {
    const error = failureOf(value);
    expect(error.option).toBe('csrf');
    expect(error.message).toContain('must be true, false or { trustedOrigins:');
  });

  it('refuses trustedOrigins that is not an array', () => {
    const error = failureOf({ trustedOrigins: 'https://spa.example.com' });
    expect(error.option).toBe('csrf.trustedOrigins');
    expect(error.message).toContain('must be an array of origins');
  });

  it.each([
    [['https://spa.example.com', 'https://spa.example.com/app'], 1],
    [['spa.example.com'], 0],
    [['https://spa.example.com//'], 0],
    [['ftp://spa.example.com'], 0],
    [[42], 0],
    [[null], 0],
  ])('refuses %j, naming the entry', (trustedOrigins, index) => {
    const error = failureOf({ trustedOrigins });
    expect(error.option).toBe(`csrf.trustedOrigins[${index}]`);
    expect(error.message).toContain('must be an origin such as "https://app.example.com" (got');
  });

  it('refuses a wildcard, pointing to csrf: false', () => {
    expect(failureOf({ trustedOrigins: ['*'] }).message).toContain('set csrf: false');
  });

  it.each([
    ['trustedOrigin', 'it is called "trustedOrigins"'],
    ['allowedOrigins', 'it is called "trustedOrigins"'],
    ['ignore', '@CsrfExempt()'],
    ['enabled', 'only "trustedOrigins"'],
  ])('refuses the unknown key %s with a hint', (key, hint) => {
    const error = failureOf({ [key]: [] });
    expect(error.option).toBe(`csrf.${key}`);
    expect(error.message).toContain(hint);
  });
});
