/**
 * Allure's JVM without the cold start: a dynamic class-data archive (AppCDS) of the classes a
 * generation loads, written on first use into a cache folder and mapped in by every later one
 * (about 2.5 s down to about 1 s for a small report; figures in docs/outputs-and-evidence.md).
 *
 * It only ever speeds things up. The archive is named after the java binary and the allure install
 * it was made with, so another JDK or install makes its own; it is written under a temporary name
 * and renamed into place whole (two runs at once never map a half-written file); a cache that
 * cannot be written means no archive; and a generation that fails with it is run again without it
 * (src/pipeline/reports/allure-generate.ts), the archive discarded.
 */
import { createHash, randomBytes } from 'node:crypto';
import { accessSync, constants, existsSync, mkdirSync, readdirSync, realpathSync, renameSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ALLURE_HOME } from './allure-home';

const ALLURE_LIB = path.join(ALLURE_HOME, 'dist', 'lib');

/** Options that make a short-lived JVM start and finish sooner; the archive is made and used with the same ones. */
const FAST_START = ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', '-Xshare:auto', '-Xlog:cds=off', '-Xlog:cds+dynamic=off'];

/** A temporary archive older than this was left by a generation that was killed. */
const ABANDONED_MS = 60 * 60 * 1000;

export interface ClassDataArchive {
  /** For JAVA_OPTS. */
  javaOptions: string[];
  /** Told whether the generation worked: keeps a new archive, or discards one that may be at fault. */
  settle(generated: boolean): void;
}

/** Where the archive is kept: GPC_CONFORM_CACHE, else $XDG_CACHE_HOME/gpc-conform, else ~/.cache/gpc-conform. */
export function cacheDirectory(env: NodeJS.ProcessEnv = process.env): string {
  if (env.GPC_CONFORM_CACHE) return path.resolve(env.GPC_CONFORM_CACHE);
  return path.join(env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'gpc-conform');
}

/** The java the allure script runs: JAVA_HOME's, else `java` on the PATH. */
export function javaCommand(env: NodeJS.ProcessEnv): string {
  return env.JAVA_HOME ? path.join(env.JAVA_HOME, 'bin', 'java') : 'java';
}

function onPath(command: string, env: NodeJS.ProcessEnv): string | undefined {
  if (command.includes(path.sep)) return existsSync(command) ? command : undefined;
  for (const dir of (env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, command);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** What the archive depends on: the JVM binary (a JDK upgrade replaces it) and the allure jars (their place and version). */
function archiveKey(java: string): string {
  const real = realpathSync(java);
  const lib = realpathSync(ALLURE_LIB);
  const jar = statSync(path.join(lib, readdirSync(lib).find((n) => n.startsWith('allure-commandline-'))!));
  const javaStat = statSync(real);
  return createHash('sha256').update([real, javaStat.size, javaStat.mtimeMs, lib, jar.size, jar.mtimeMs].join('\n')).digest('hex').slice(0, 16);
}

/** One JAVA_OPTS word, as the allure script splits them (xargs): quoted, so a cache path may hold spaces. */
const javaOption = (option: string): string => `"${option}"`;

/**
 * The JAVA_OPTS that map the archive in, or make it; undefined when there is nothing to gain (no
 * java found, a cache that cannot be written, a path the allure script could not pass on).
 */
export function classDataArchive(env: NodeJS.ProcessEnv, allureVersion: string, cacheDir = cacheDirectory(env)): ClassDataArchive | undefined {
  try {
    const java = onPath(javaCommand(env), env);
    if (!java) return undefined;
    const archive = path.join(cacheDir, `allure-${allureVersion}-${archiveKey(java)}.jsa`);
    if (/["'\\\n]/.test(archive)) return undefined;
    // A JVM that crashes on a broken archive writes a crash report: about the archive, which goes with it.
    const crashReport = path.join(os.tmpdir(), `gpc-conform-allure-${process.pid}-${randomBytes(4).toString('hex')}.log`);
    const errorFile = `-XX:ErrorFile=${crashReport}`;
    if (existsSync(archive)) {
      return {
        javaOptions: [`-XX:SharedArchiveFile=${archive}`, ...FAST_START, errorFile].map(javaOption),
        settle: (generated) =>
          quietly(() => {
            rmSync(crashReport, { force: true });
            if (!generated) rmSync(archive, { force: true });
          }),
      };
    }
    mkdirSync(cacheDir, { recursive: true });
    accessSync(cacheDir, constants.W_OK);
    removeAbandoned(cacheDir);
    const temporary = `${archive}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
    return {
      javaOptions: [`-XX:ArchiveClassesAtExit=${temporary}`, ...FAST_START, errorFile].map(javaOption),
      settle: (generated) =>
        quietly(() => {
          rmSync(crashReport, { force: true });
          if (generated && existsSync(temporary) && statSync(temporary).size > 0) renameSync(temporary, archive);
          else rmSync(temporary, { force: true });
        }),
    };
  } catch {
    return undefined;
  }
}

/** A cache that goes wrong (removed, made read-only meanwhile) costs the speed-up, never the report. */
function quietly(action: () => unknown): void {
  try {
    action();
  } catch {
    // the next generation makes the archive again
  }
}

function removeAbandoned(cacheDir: string): void {
  for (const name of readdirSync(cacheDir)) {
    if (!/\.jsa\..+\.tmp$/.test(name)) continue;
    const file = path.join(cacheDir, name);
    if (Date.now() - statSync(file).mtimeMs > ABANDONED_MS) rmSync(file, { force: true });
  }
}
