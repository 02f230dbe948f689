import { existsSync } from 'node:fs';
import path from 'node:path';
import { PACKAGE_ROOT } from '../../package-root';

/**
 * The profile file a command names: relative to the working directory first; else one of the
 * harness's own (`profiles/reference-provider.yaml`, or just `reference-provider`), so that an
 * installed harness runs its built-in reference systems from an empty folder. Unknown: as given, for
 * the loader to say it cannot be read.
 */
export function locateProfile(given: string): string {
  const candidates = [path.resolve(given), path.join(PACKAGE_ROOT, given), path.join(PACKAGE_ROOT, 'profiles', given), path.join(PACKAGE_ROOT, 'profiles', `${given}.yaml`)];
  return candidates.find((file) => existsSync(file)) ?? given;
}
