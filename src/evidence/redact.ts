// Secrets never reach a report: profiles are copied with secret values replaced, and any text can have
// known secret values (from the environment) cut out before it is written.

export const REDACTED = '[redacted]';
export const REDACTED_PRIVATE_KEY = '[redacted private key]';

/** Key or variable names whose values are secret. */
export const SECRET_NAME = /secret|password|passphrase|token|api[-_]?key|private[-_]?key|credential|authorization|cookie/i;

/** A PEM private key block of any kind (PRIVATE KEY, RSA PRIVATE KEY, ENCRYPTED PRIVATE KEY, EC ...). */
const PEM_PRIVATE_KEY = /-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----[\s\S]*?(?:-----END \1PRIVATE KEY-----|$)/g;

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Does this key or variable name look like it holds a secret? */
export function looksSecret(name: string): boolean {
  return SECRET_NAME.test(name);
}

/**
 * A deep copy of a profile (or anything parsed from JSON or YAML) with secrets taken out:
 * - the value of every key that looks secret becomes "[redacted]", whatever it is (a string, a map, a list),
 *   except a key ending in `Env` whose value only names an environment variable (`passphraseEnv: GPC_TLS_PASS`)
 *   or a key ending in `File` whose value is only a file path (`privateKeyFile: certs/client.key`);
 * - every PEM private key block in any string becomes "[redacted private key]".
 * `start.env` and `driver.headers` maps are covered by the first rule: their keys are variable and header names.
 */
export function redactProfile(profile: unknown): unknown {
  return redactValue(profile);
}

function redactValue(value: unknown): unknown {
  if (typeof value === 'string') return redactPrivateKeys(value);
  if (Array.isArray(value)) return value.map(redactValue);
  if (value instanceof Date) return new Date(value.getTime());
  if (value instanceof Map) return new Map([...value].map(([k, v]) => [k, typeof k === 'string' ? redactEntry(k, v) : redactValue(v)]));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) out[key] = redactEntry(key, v);
    return out;
  }
  return value;
}

function redactEntry(key: string, value: unknown): unknown {
  if (key === 'headersFromEnv') return namesOfVariables(value);
  if (!looksSecret(key)) return redactValue(value);
  if (/Env$/.test(key) && typeof value === 'string' && ENV_NAME.test(value)) return value;
  if (/File$/.test(key) && typeof value === 'string' && looksLikePath(value)) return value;
  return REDACTED;
}

/** `headersFromEnv` maps header names (X-Api-Key looks secret) to variable names: each value kept only while it is a variable name. */
function namesOfVariables(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return REDACTED;
  return Object.fromEntries(Object.entries(value).map(([header, name]) => [header, typeof name === 'string' && ENV_NAME.test(name) ? name : REDACTED]));
}

/** A single-line file path, not a secret pasted where a path belongs. */
function looksLikePath(value: string): boolean {
  return value.length > 0 && value.length <= 1024 && !/[\r\n\0]/.test(value) && !value.includes('-----BEGIN');
}

/** Replace every PEM private key block (an unterminated one runs to the end of the string). */
export function redactPrivateKeys(text: string): string {
  if (!text.includes('PRIVATE KEY-----')) return text;
  return text.replace(PEM_PRIVATE_KEY, REDACTED_PRIVATE_KEY);
}

/**
 * Replace every occurrence of every secret (values of at least 4 characters; shorter ones would cut
 * ordinary words) with "[redacted]", longest first so a secret containing another goes whole.
 */
export function redactText(text: string, secrets: string[]): string {
  const usable = [...new Set(secrets.filter((s) => typeof s === 'string' && s.length >= 4))].sort((a, b) => b.length - a.length);
  let out = text;
  for (const secret of usable) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  return out;
}

/**
 * The values of environment variables whose names look secret, plus the values of the variables
 * named in `names` (e.g. a profile's `tls.passphraseEnv`), without duplicates or empty values.
 */
export function secretsFromEnvironment(env: NodeJS.ProcessEnv = process.env, names: string[] = []): string[] {
  const values = new Set<string>();
  for (const [name, value] of Object.entries(env)) if (value && looksSecret(name)) values.add(value);
  for (const name of names) {
    const value = env[name];
    if (value) values.add(value);
  }
  return [...values];
}

/**
 * The environment variable names a profile points at for secrets: the string values of keys ending
 * in `Env` (e.g. `tls.passphraseEnv`). Give them to secretsFromEnvironment.
 */
export function secretEnvNamesIn(profile: unknown): string[] {
  const names = new Set<string>();
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value !== null && typeof value === 'object') {
      for (const [key, v] of Object.entries(value)) {
        if (/Env$/.test(key) && typeof v === 'string' && ENV_NAME.test(v)) names.add(v);
        else if (key === 'headersFromEnv' && v !== null && typeof v === 'object') {
          for (const name of Object.values(v)) if (typeof name === 'string' && ENV_NAME.test(name)) names.add(name);
        } else walk(v);
      }
    }
  };
  walk(profile);
  return [...names];
}
