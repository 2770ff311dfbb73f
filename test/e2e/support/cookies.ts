export {
  CookieJar,
  cookieHeader,
  isClearing,
  parseSetCookie,
  setCookieLines,
  setCookies,
  type SetCookie,
} from '../../support/cookies.js';
