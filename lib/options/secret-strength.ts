/**
 * Refuses secrets a person chose rather than a random generator. Any one seal (or the 4-byte key
 * hint it carries) lets an attacker test guesses of the secret offline, and the key derivation
 * uses a fixed salt, so one table of guessable secrets serves against every deployment: only a
 * random secret defends against that.
 *
 * The rules are calibrated so that every output of `randomBytes(32)` passes, whether as base64url
 * (the documented generator), base64, hex or the raw bytes: each rule asks for a pattern that
 * random output of that length shows with a probability far below one in a billion.
 *
 * Reasons never quote the secret: they end up in boot errors and logs.
 */

/** Fewer distinct characters (bytes) than this: a tiny alphabet. 32 random hex digits use ≥ 8. */
const MIN_DISTINCT = 8;
/** Runs of consecutive characters (`abcd`, `4321`, `qwer`) at least this long count... */
const MIN_RUN = 3;
/** ...and covering at least this share of the secret make it a sequence. */
const MAX_RUN_SHARE = 0.5;
/** What is left of a secret around a documented example, shorter than this, is padding. */
const MIN_REST = 8;

/**
 * Phrases shown as secrets in documentation that people copy: this library's and those of the
 * session libraries it replaces or resembles. Compared on letters and digits only, ignoring case.
 */
const DOCUMENTED_EXAMPLES = [
  'keyboard cat',
  'complex_password_at_least_32_characters_long',
  'averylogphrasebiggerthanthirtytwochars',
  'a secret with minimum length of 32 characters',
  'your-secret-key',
  'your secret here',
  'replace with a random secret',
  'session secret',
  'super secret',
  'my secret',
  'secret',
  'change me',
  'password',
].map(lettersAndDigits);

/**
 * Words that placeholder secrets are made of (`my-super-secret-session-key`,
 * `SESSION_SECRET_CHANGE_ME_IN_PRODUCTION`): a secret that is mostly these is a phrase someone
 * typed, however long. Longest first, so that `sessions` goes before `session`.
 */
const PLACEHOLDER_WORDS = [
  'secret',
  'secrets',
  'session',
  'sessions',
  'cookie',
  'cookies',
  'key',
  'keys',
  'token',
  'password',
  'passphrase',
  'pass',
  'change',
  'changeme',
  'replace',
  'insert',
  'put',
  'your',
  'my',
  'our',
  'the',
  'this',
  'that',
  'is',
  'it',
  'here',
  'goes',
  'please',
  'super',
  'very',
  'long',
  'longer',
  'strong',
  'random',
  'string',
  'value',
  'char',
  'chars',
  'characters',
  'bit',
  'bits',
  'byte',
  'bytes',
  'production',
  'prod',
  'development',
  'dev',
  'staging',
  'test',
  'local',
  'default',
  'example',
  'sample',
  'demo',
  'nest',
  'nestjs',
  'express',
  'fastify',
  'node',
  'app',
  'api',
  'jwt',
  'auth',
  'signing',
  'encryption',
  'for',
  'with',
  'and',
  'of',
  'in',
  'to',
  'at',
  'least',
  'min',
  'minimum',
  'length',
  'nobody',
  'knows',
  'no',
  'one',
  'guess',
  'hard',
  'safe',
  'secure',
  'todo',
  'admin',
  'hello',
  'world',
  'letmein',
  'welcome',
  'me',
  'a',
].sort((a, b) => b.length - a.length);
/** Characters written for letters (`p@ssw0rd`), read back as those letters by that rule. */
const LOOKALIKES: Readonly<Record<string, string>> = {
  '@': 'a',
  $: 's',
  '0': 'o',
  '1': 'i',
  '3': 'e',
};
/** Share of a secret's letters and digits that placeholder words may make up. */
const MAX_WORD_SHARE = 2 / 3;
/** Fewer letters and digits than this, or a smaller share of the text: no words looked for. */
const MIN_WORD_TEXT = 16;
const MIN_TEXT_SHARE = 0.6;

/** Keyboard rows: walking along one is as guessable as counting. */
const KEYBOARD_ROWS = ['1234567890', 'qwertyuiop', 'asdfghjkl', 'zxcvbnm'];

/**
 * Why `secret` looks guessable ("uses only 3 different characters"), or `undefined` when it
 * looks random enough.
 */
export function weaknessOf(secret: string | Buffer): string | undefined {
  const isText = typeof secret === 'string';
  // Letter case adds little to a guessable secret: `PasswordPASSWORD…` repeats as much.
  const units = isText ? Array.from(secret.toLowerCase(), (c) => c.codePointAt(0)!) : [...secret];
  const unit = isText ? 'character' : 'byte';
  const text = isText ? secret : secret.toString('utf8');
  return (
    repetition(units, unit) ??
    tinyAlphabet(units, unit) ??
    sequence(units, unit) ??
    documentedExample(text) ??
    placeholderWords(text)
  );
}

function lettersAndDigits(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]/g, '');
}

function documentedExample(text: string): string | undefined {
  const core = lettersAndDigits(text);
  for (const example of DOCUMENTED_EXAMPLES) {
    if (!core.includes(example)) continue;
    // Padding around the phrase ("keyboard cat" and 20 x's, or the phrase twice and a year)
    // guesses as easily as the phrase.
    const rest = core.split(example).join('');
    const units = Array.from(rest, (c) => c.codePointAt(0)!);
    if (rest.length < MIN_REST || repetition(units, '')) {
      return 'is an example from the documentation';
    }
  }
  return undefined;
}

function placeholderWords(text: string): string | undefined {
  const core = lettersAndDigits(text.replace(/[@$013]/g, (c) => LOOKALIKES[c]));
  // Random bytes decoded as text are mostly not letters or digits: no phrase to look for.
  if (core.length < MIN_WORD_TEXT || core.length < MIN_TEXT_SHARE * text.length) return undefined;
  let rest = core;
  for (const word of PLACEHOLDER_WORDS) rest = rest.split(word).join('');
  return core.length - rest.length >= MAX_WORD_SHARE * core.length
    ? 'is mostly words that placeholder secrets use (secret, session, change me…)'
    : undefined;
}

/**
 * Mostly a block followed by copies of itself (`hunter2hunter2hunter2`, `xxxxxxxx`): the copies
 * make up at least half the secret, whatever comes before or after them. A random secret of 32
 * characters would need 16 characters in a row each equal to the one a block earlier: less than
 * one chance in 2^50 for hex, whatever the block length and where the run starts.
 */
function repetition(units: readonly number[], unit: string): string | undefined {
  const n = units.length;
  const least = Math.ceil(n / 2);
  for (let period = 1; period <= n / 2; period++) {
    // A run of `least` copies holds one of these probes (they are `least` apart): random text
    // costs two comparisons per block length, not a scan of the whole secret.
    for (let probe = period + least - 1; probe < n; probe += least) {
      if (units[probe] !== units[probe - period]) continue;
      let start = probe;
      while (start > period && units[start - 1] === units[start - 1 - period]) start--;
      let end = probe + 1;
      while (end < n && units[end] === units[end - period]) end++;
      if (end - start < least) continue;
      const length = end - start + period;
      const times = Math.floor(length / period);
      const part = length % period ? ' and part of it again' : '';
      const where = length < n ? `, over ${length} of its ${n} ${unit}s` : '';
      return `repeats the same ${period}-${unit} block ${times} times${part}${where}`;
    }
  }
  return undefined;
}

function tinyAlphabet(units: readonly number[], unit: string): string | undefined {
  const distinct = new Set(units).size;
  return distinct < MIN_DISTINCT ? `uses only ${distinct} different ${unit}s` : undefined;
}

/** Mostly runs like `abcdef`, `9876` or `qwerty` (in code order or along a keyboard row). */
function sequence(units: readonly number[], unit: string): string | undefined {
  let covered = 0;
  let run = 1;
  let direction = 0;
  const close = () => {
    if (run >= MIN_RUN) covered += run;
  };
  for (let i = 1; i < units.length; i++) {
    const step = stepBetween(units[i - 1], units[i]);
    if (step !== 0 && (run === 1 || step === direction)) {
      run++;
      direction = step;
      continue;
    }
    close();
    // A change of direction (`abcba`) starts a new run from the previous character.
    run = step === 0 ? 1 : 2;
    direction = step;
  }
  close();
  return units.length > 0 && covered / units.length >= MAX_RUN_SHARE
    ? `is mostly runs of consecutive ${unit}s (like abcd or 4321)`
    : undefined;
}

/** +1 when `b` follows `a` (in code order or along a keyboard row), -1 when it precedes, else 0. */
function stepBetween(a: number, b: number): number {
  if (b === a + 1) return 1;
  if (b === a - 1) return -1;
  for (const row of KEYBOARD_ROWS) {
    const i = row.indexOf(String.fromCodePoint(a));
    if (i < 0) continue;
    if (row[i + 1] !== undefined && row.codePointAt(i + 1) === b) return 1;
    if (i > 0 && row.codePointAt(i - 1) === b) return -1;
  }
  return 0;
}
