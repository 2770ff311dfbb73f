import { cookieOf, type Booted } from './boot-app.js';

/**
 * What a reader of the Quick start sees, checked against a running copy of it: the counter
 * grows with the cookie, login starts a new session, logout expires the cookie.
 */
export function checkQuickStartApp(app: () => Booted): void {
  it('counts views in the cookie: 1, then 2 with the cookie, then 1 without', async () => {
    const { url } = app();
    const first = await fetch(`${url}/`);
    expect(await first.json()).toEqual({ views: 1, user: null });
    const cookie = cookieOf(first);
    expect(cookie).toMatch(/^__Host-session=[\w-]+$/);

    const second = await fetch(`${url}/`, { headers: { cookie } });
    expect(await second.json()).toEqual({ views: 2, user: null });
    const fresh = await fetch(`${url}/`);
    expect(await fresh.json()).toEqual({ views: 1, user: null });
  });

  it('logs in with a new session, then logs out with a cookie that expires', async () => {
    const { url } = app();
    const visit = await fetch(`${url}/`);
    const login = await fetch(`${url}/login`, {
      method: 'POST',
      headers: { cookie: cookieOf(visit), 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'ada' }),
    });
    expect(login.status).toBe(201);
    expect(await login.json()).toEqual({ user: 'ada' });

    const after = await fetch(`${url}/`, { headers: { cookie: cookieOf(login) } });
    expect(await after.json()).toEqual({ views: 1, user: 'ada' });

    const logout = await fetch(`${url}/logout`, {
      method: 'POST',
      headers: { cookie: cookieOf(after) },
    });
    expect(await logout.json()).toEqual({ user: null });
    expect(logout.headers.getSetCookie()).toEqual([
      expect.stringMatching(/^__Host-session=;.*(Max-Age=0|Expires=Thu, 01 Jan 1970)/i),
    ]);
  });
}
