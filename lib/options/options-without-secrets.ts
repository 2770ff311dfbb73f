/** Where the options hold secrets: `true` for a secret, or the places inside a nested object. */
interface SecretPlaces {
  readonly [option: string]: true | SecretPlaces;
}

/**
 * Every secret of the options: the module's own, and the replaced libraries' keys, which forge
 * old cookies the module would adopt as sessions.
 */
const SECRET_PLACES: SecretPlaces = {
  secret: true,
  keys: true,
  legacy: { cookieSession: { keys: true }, cookieSessions: { secret: true } },
};

/** The application's own options object behind each copy handed out by `withoutSecrets`. */
const originals = new WeakMap<object, object>();

/**
 * A copy of the options with every secret left out, for the options provider that the
 * application can inject and log. No property of the copy, hidden or not, reaches a secret:
 * `util.inspect` with every flag, `JSON.stringify` and loggers find none. The secrets stay
 * with the application's own object, which `withSecrets` finds again for the module and for a
 * `SessionCodec` given the copy.
 */
export function withoutSecrets<T>(options: T): T {
  // Anything else (a string, an array…) is left as given, for the option checks to refuse.
  if (!isPlainRecord(options)) return options;
  const copy = copyWithout(options, SECRET_PLACES);
  originals.set(copy, options);
  return copy as T;
}

/** The options a copy made by `withoutSecrets` was made of; any other object as it is. */
export function withSecrets<T>(options: T): T {
  if (options === null || typeof options !== 'object') return options;
  return (originals.get(options) ?? options) as T;
}

function copyWithout(options: object, places: SecretPlaces): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...options };
  for (const [key, place] of Object.entries(places)) {
    if (!Object.hasOwn(copy, key)) continue;
    if (place === true) delete copy[key];
    else if (isPlainRecord(copy[key])) copy[key] = copyWithout(copy[key], place);
  }
  return copy;
}

function isPlainRecord(value: unknown): value is object {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
