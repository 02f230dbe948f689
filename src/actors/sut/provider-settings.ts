/**
 * What `gpc-conform run` checks and settles in a provider profile before anything starts: the port,
 * the host, the TLS material. Light on purpose: the command loads it without Spine in a box.
 */
import { readFileSync } from 'node:fs';
import type { ClientTls } from '../../http/raw-client';
import { freeLoopbackPort } from '../../http/ports';
import { ProfileError, type ProviderProfile } from '../profiles/load';

export const DEFAULT_REQUEST_SECONDS = 10;
export const DEFAULT_START_SECONDS = 60;
/** Hosts a system under test may be reached at without --allow-non-loopback (URL hostnames keep IPv6 brackets). */
export const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', '::1', 'localhost']);

/** `{port}` in the profile: a free loopback port, the same everywhere it appears. */
export async function withPort(profile: ProviderProfile): Promise<ProviderProfile> {
  const text = JSON.stringify(profile);
  if (!text.includes('{port}') && !text.includes('{baseUrl}')) return profile;
  const port = text.includes('{port}') ? String(await freeLoopbackPort()) : '';
  const baseUrl = profile.baseUrl.replaceAll('{port}', port);
  return JSON.parse(text.replaceAll('{port}', port).replaceAll('{baseUrl}', baseUrl)) as ProviderProfile;
}

export function assertAllowedHost(profile: ProviderProfile, allowNonLoopback = false): void {
  const host = new URL(profile.baseUrl).hostname;
  if (!allowNonLoopback && !LOOPBACK_HOSTS.has(host)) {
    throw new ProfileError('<profile>', [`baseUrl: ${host} is not a loopback address; testing a provider elsewhere needs --allow-non-loopback (never point the harness at real NHS services)`]);
  }
}

/** The TLS material a provider profile names, read (and so checked) now: a file that cannot be read or a passphrase not set is a ProfileError naming the field. */
export function readTls(profile: ProviderProfile): ClientTls | undefined {
  const tls = profile.tls;
  if (!tls) return undefined;
  const read = (field: string, file: string | undefined, binary = false) => {
    if (file === undefined) return undefined;
    try {
      return binary ? readFileSync(file) : readFileSync(file, 'utf8');
    } catch (error) {
      throw new ProfileError('<profile>', [`tls.${field}: cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`]);
    }
  };
  let passphrase: string | undefined;
  if (tls.passphraseEnv) {
    passphrase = process.env[tls.passphraseEnv];
    if (passphrase === undefined) throw new ProfileError('<profile>', [`tls.passphraseEnv: the environment variable ${tls.passphraseEnv} is not set`]);
  }
  return {
    ca: read('ca', tls.ca) as string | undefined,
    cert: read('cert', tls.cert) as string | undefined,
    key: read('key', tls.key) as string | undefined,
    pfx: read('pfx', tls.pfx, true) as Buffer | undefined,
    passphrase,
  };
}
