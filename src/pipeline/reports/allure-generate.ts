/**
 * Generating the Allure 2 report folder with allure-commandline 2.46.1, which needs `java`
 * (toolchain.md pitfalls 7 and 8). Once per run, without the wait for a cold JVM where it can
 * (src/pipeline/reports/class-data-archive.ts), and without Google Analytics: an evidence report for
 * the NHS calls out to no one, neither when it is generated nor when it is opened.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import path from 'node:path';
import { PACKAGE_ROOT } from '../../package-root';
import { classDataArchive, javaCommand } from './class-data-archive';
import { ALLURE_HOME } from './allure-home';

const ROOT = PACKAGE_ROOT;
export const ALLURE_VERSION = '2.46.1';
const ALLURE_BIN = path.join(ALLURE_HOME, 'bin', 'allure');

export interface GenerateOptions {
  /** The java executable (default: JAVA_HOME's, or `java` on the PATH, as the allure script finds it). */
  java?: string;
  /** Where the class-data archive is kept (default: see class-data-archive.ts). */
  cacheDir?: string;
}

const JAVA_MISSING = 'Allure needs a Java runtime to generate the report: install one (Debian: apt-get install -y openjdk-17-jre-headless) or set JAVA_HOME';

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
  spawnError?: NodeJS.ErrnoException;
}

/** Run a command to its end; its exit code (null when killed by a signal), stdout and stderr. */
function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<Ran> {
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    let child;
    try {
      child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (error) {
      resolve({ code: null, stdout, stderr, spawnError: error as NodeJS.ErrnoException });
      return;
    }
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', (error: NodeJS.ErrnoException) => resolve({ code: null, stdout, stderr, spawnError: error }));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * The environment the allure script runs in: analytics off (ALLURE_NO_ANALYTICS: the generator then
 * sends no beacon and the page loads no googletagmanager script), and the java asked for (the script
 * prefers JAVA_HOME/bin/java, else `java` on the PATH).
 */
function allureEnvironment(java: string | undefined): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ALLURE_NO_ANALYTICS: 'true' };
  if (java && java.includes(path.sep)) {
    const home = path.dirname(path.dirname(java));
    if (path.basename(path.dirname(java)) === 'bin' && existsSync(path.join(home, 'bin', path.basename(java)))) env.JAVA_HOME = home;
    else {
      delete env.JAVA_HOME;
      env.PATH = `${path.dirname(java)}${path.delimiter}${env.PATH ?? ''}`;
    }
  }
  return env;
}

/** After a failed generation only: is there a java at all? Rejects with a plain instruction when there is none. */
async function assertJava(env: NodeJS.ProcessEnv, java: string | undefined): Promise<void> {
  const candidate = java && !java.includes(path.sep) ? java : javaCommand(env);
  const probe = await run(candidate, ['-version'], env);
  if (probe.spawnError || probe.code !== 0) {
    const why = probe.spawnError ? (probe.spawnError.code === 'ENOENT' ? `no ${candidate} found` : probe.spawnError.message) : `${candidate} -version exited ${probe.code}: ${probe.stderr.trim().split('\n')[0]}`;
    throw new Error(`${JAVA_MISSING} (${why})`);
  }
}

/** The old report out of the way; one that cannot be removed is allure's to complain about. */
function clear(reportDir: string): void {
  try {
    rmSync(reportDir, { recursive: true, force: true });
  } catch {
    // allure generate says what is in the way
  }
}

/**
 * The JVM the allure script would start, started without the script: allure's Node wrapper and its
 * shell script (xargs, sed) cost about 0.3 s of a 1 s generation. Java, classpath and main class as
 * the script has them (its CLASSPATH line, for the pinned version), JAVA_OPTS and ALLURE_OPTS as its
 * words. Undefined, and the script runs instead, when the classpath cannot be read or the options
 * hold quotes only a shell would undo.
 */
export function directJava(env: NodeJS.ProcessEnv, archiveOptions: string[]): { command: string; args: string[] } | undefined {
  try {
    const appHome = realpathSync(path.join(ALLURE_HOME, 'dist'));
    const line = readFileSync(path.join(appHome, 'bin', 'allure'), 'utf8').split('\n').find((l) => l.startsWith('CLASSPATH=$APP_HOME/lib/'));
    if (!line) return undefined;
    const classpath = line.slice('CLASSPATH='.length).replaceAll('$APP_HOME', appHome);
    if (/[$"'`\s]/.test(classpath)) return undefined;
    const userOptions = [env.JAVA_OPTS, env.ALLURE_OPTS].filter(Boolean).join(' ');
    if (/["'\\]/.test(userOptions)) return undefined;
    const unquoted = archiveOptions.map((o) => o.replace(/^"(.*)"$/, '$1'));
    return { command: javaCommand(env), args: [...userOptions.split(/\s+/).filter(Boolean), ...unquoted, '-classpath', classpath, 'io.qameta.allure.CommandLine'] };
  } catch {
    return undefined;
  }
}

const generated = (result: Ran, index: string): boolean => !result.spawnError && result.code === 0 && existsSync(index);

/**
 * Generate the Allure report folder from resultsDir into reportDir (replaced). A missing java, or a
 * generation that fails, rejects with an Error that says why (with the tool's own output), not a
 * stack trace. The class-data archive only ever speeds it up: a generation that fails with it is
 * run again without it.
 */
export async function generateReport(resultsDir: string, reportDir: string, options: GenerateOptions = {}): Promise<void> {
  if (!existsSync(ALLURE_BIN)) throw new Error(`allure-commandline is not installed at ${ALLURE_BIN}: run npm install (allure-commandline ${ALLURE_VERSION})`);
  if (!existsSync(resultsDir)) throw new Error(`no Allure results at ${resultsDir}: the run wrote none`);
  if (options.java?.includes(path.sep) && !existsSync(options.java)) throw new Error(`${JAVA_MISSING} (no ${options.java} found)`);
  const env = allureEnvironment(options.java);
  const generate = ['generate', path.resolve(resultsDir), '-o', path.resolve(reportDir), '--clean'];
  const viaScript = (environment: NodeJS.ProcessEnv) => run(process.execPath, [ALLURE_BIN, ...generate], environment);
  const index = path.join(reportDir, 'index.html');
  // A JVM that dies on a signal still exits 0 through allure's node wrapper: only a fresh index.html says it worked.
  clear(reportDir);
  const archive = classDataArchive(env, ALLURE_VERSION, options.cacheDir);
  const direct = directJava(env, archive?.javaOptions ?? []);
  let result = direct
    ? await run(direct.command, [...direct.args, ...generate], env)
    : await viaScript(archive ? { ...env, JAVA_OPTS: [env.JAVA_OPTS, ...archive.javaOptions].filter(Boolean).join(' ') } : env);
  archive?.settle(generated(result, index));
  if ((archive || direct) && !generated(result, index) && !(result.spawnError?.code === 'ENOENT')) {
    // The plain script, without the archive: the slow way, which has always worked.
    clear(reportDir);
    result = await viaScript(env);
  }
  if (generated(result, index)) return;
  if (result.spawnError?.code === 'ENOENT' && direct) await assertJava(env, options.java);
  if (result.spawnError) throw new Error(`allure generate could not be run: ${result.spawnError.message}`);
  await assertJava(env, options.java);
  // The tool's own words: a Java exception says what went wrong on its first lines, so its stderr
  // is kept from the start; stdout (progress and warnings) from the end.
  const output = [result.stderr.trim().slice(0, 3000), result.stdout.trim().slice(-1000)].filter(Boolean).join('\n') || '(no output)';
  if (result.code !== 0) throw new Error(`allure generate failed (exit ${result.code ?? 'by signal'}): ${output}`);
  throw new Error(`allure generate wrote no ${index}: ${output}`);
}

/** The overview's counts (reportDir/widgets/summary.json). */
export interface ReportCounts {
  passed: number;
  failed: number;
  broken: number;
  skipped: number;
  unknown: number;
  total: number;
}

export function readReportCounts(reportDir: string): ReportCounts {
  const file = path.join(reportDir, 'widgets', 'summary.json');
  if (!existsSync(file)) throw new Error(`no ${file}: generate the report folder first`);
  const statistic = (JSON.parse(readFileSync(file, 'utf8')) as { statistic?: Partial<ReportCounts> }).statistic ?? {};
  return {
    passed: statistic.passed ?? 0,
    failed: statistic.failed ?? 0,
    broken: statistic.broken ?? 0,
    skipped: statistic.skipped ?? 0,
    unknown: statistic.unknown ?? 0,
    total: statistic.total ?? 0,
  };
}
