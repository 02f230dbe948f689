import { spawn } from 'node:child_process';
import path from 'node:path';
import { PACKAGE_ROOT } from '../../src/package-root';

export const root = PACKAGE_ROOT;

export interface CliRun {
  code: number | null;
  output: string;
}

/**
 * Run `bin/gpc-conform` as a user would, stdout and stderr together; killed after two minutes so
 * a hung run fails its test instead of hanging the suite. `onOutput` sees the output so far.
 */
export function gpcConform(args: string[], options: { env?: Record<string, string>; onOutput?: (text: string, kill: (signal: NodeJS.Signals) => void) => void } = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, 'bin/gpc-conform'), ...args], { cwd: root, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const take = (d: Buffer) => {
      output += d;
      options.onOutput?.(output, (signal) => child.kill(signal));
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    const guard = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(guard);
      resolve({ code, output });
    });
  });
}

/** `gpc-conform run --role provider` with a profile, results in `out`. */
export function runProvider(profileFile: string, out: string, extra: string[] = [], env?: Record<string, string>): Promise<CliRun> {
  return gpcConform(['run', '--role', 'provider', '--profile', profileFile, '--out', out, ...extra], { env });
}
