// Signs in through the real sign-in form over HTTP, as a browser does, and returns the Cookie header a signed-in browser sends.
const SESSION_COOKIE = 'wigboard_session';
const CSRF_COOKIE = 'wigboard_csrf';

/** Keeps name=value of every Set-Cookie, as sent (already encoded), dropping cookies the server clears. */
function keepCookies(jar: Map<string, string>, response: Response): void {
  for (const line of response.headers.getSetCookie()) {
    const pair = line.split(';', 1)[0]!;
    const eq = pair.indexOf('=');
    if (eq <= 0) continue;
    const name = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    if (value === '' || /;\s*max-age=0\b/i.test(line) || /;\s*expires=thu, 01 jan 1970/i.test(line)) jar.delete(name);
    else jar.set(name, value);
  }
}

const cookieHeader = (jar: Map<string, string>) => [...jar].map(([name, value]) => `${name}=${value}`).join('; ');

/**
 * GET /login for the form's CSRF token and cookie, POST /login with the email and password, and expect
 * 303 See Other with a session cookie. Fails loudly with the reason otherwise.
 */
export async function signIn(baseUrl: string, email: string, password: string): Promise<string> {
  const jar = new Map<string, string>();
  const page = await fetch(`${baseUrl}/login`, { redirect: 'manual' });
  keepCookies(jar, page);
  const html = await page.text();
  if (page.status !== 200) throw new Error(`GET /login answered ${page.status}, not 200`);
  const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  if (!token) throw new Error('GET /login has no CSRF token in its form');
  if (!jar.has(CSRF_COOKIE)) throw new Error(`GET /login set no ${CSRF_COOKIE} cookie`);

  const response = await fetch(`${baseUrl}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookieHeader(jar) },
    body: new URLSearchParams({ _csrf: token, email, password, next: '/' }).toString(),
  });
  keepCookies(jar, response);
  await response.arrayBuffer();
  if (response.status !== 303)
    throw new Error(`POST /login as ${email} answered ${response.status}, not 303 (wrong password, or rate limited?)`);
  if (!jar.has(SESSION_COOKIE)) {
    throw new Error(
      `POST /login as ${email} answered 303 but set no ${SESSION_COOKIE} cookie (secure cookies over plain http are not saved)`,
    );
  }
  return cookieHeader(jar);
}
