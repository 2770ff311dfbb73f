import type { Session } from 'nest-cookie-session';
import type { AppSession } from './app-session.js';
import { takeFlash } from './flash.js';

/** Escapes text for HTML: use it on everything a user typed. */
export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

const STYLE = `
  * { box-sizing: border-box; }
  body { font: 16px/1.5 system-ui, sans-serif; color: #1f2328; background: #f6f8fa; margin: 0; }
  nav { display: flex; gap: 1.25rem; align-items: center; height: 3.25rem; padding: 0 1.5rem; background: #24292f; }
  nav a, nav button { color: #fff; text-decoration: none; font: inherit; white-space: nowrap; }
  nav .user { margin-left: auto; color: #d0d7de; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
  nav form { margin: 0; }
  nav button { background: none; border: 1px solid #6e7781; border-radius: 6px; padding: .1rem .6rem; cursor: pointer; }
  main { max-width: 38rem; margin: 2rem auto; padding: 1.5rem 2rem; background: #fff;
         border: 1px solid #d0d7de; border-radius: 8px; }
  main, .flash { width: calc(100% - 2rem); }
  h1 { margin-top: 0; font-size: 1.5rem; }
  .flash { max-width: 38rem; margin: 1.5rem auto -1rem; padding: .75rem 1rem; background: #dafbe1;
           border: 1px solid #4ac26b; border-radius: 8px; }
  label { display: block; margin: .75rem 0; }
  input[type=text], input[type=password] { font: inherit; padding: .35rem .5rem; width: 100%; }
  main button { font: inherit; padding: .4rem 1.2rem; border-radius: 6px; border: 1px solid #1f883d;
                background: #1f883d; color: #fff; cursor: pointer; }
  .count { font-size: 3rem; font-weight: 600; margin: .5rem 0; }
  .muted { color: #656d76; }
`;

/**
 * The page around every view: a menu that knows who is logged in, and the flash message
 * waiting in the session (taken out of it, so it shows once).
 */
export function page(session: Session<AppSession>, title: string, content: string): string {
  const user = session.user;
  const flash = takeFlash(session);
  const account = user
    ? `<span class="user">${escapeHtml(user)}</span>
       <form method="post" action="/logout"><button type="submit">Log out</button></form>`
    : `<a class="user" href="/login">Log in</a>`;
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${escapeHtml(title)} · nest-cookie-session sample</title>
  <!-- The sample has no icon: spare the browser a /favicon.ico request that would only 404. -->
  <link rel="icon" href="data:,">
  <style>${STYLE}</style>
</head>
<body>
  <nav><a href="/">Home</a><a href="/profile">Profile</a>${account}</nav>
  ${flash ? `<p class="flash" role="status">${escapeHtml(flash)}</p>` : ''}
  <main>
${content}
  </main>
</body>
</html>
`;
}
