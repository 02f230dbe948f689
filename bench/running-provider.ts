/**
 * The reference provider as a supplier's provider already running: `gpc-conform serve-provider`
 * started by the bench on a free loopback port (outside any timing), and a profile for it like
 * profiles/reference-provider-process.yaml but with no `start` (the harness finds it running).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { freeLoopbackPort } from '../src/http/ports';
import { startSystem } from '../src/actors/sut/process';

/** The service root path the reference provider serves for a practice. */
export const servicePath = (ods: string): string => `/${ods}/STU3/1/gpconnect`;

export interface RunningProvider {
  port: number;
  /** http://127.0.0.1:<port>/<ods>/STU3/1/gpconnect */
  baseUrl: string;
  stop(): Promise<void>;
}

export async function startReferenceProvider(root: string, logFile: string, ods = 'A20047'): Promise<RunningProvider> {
  const port = await freeLoopbackPort();
  const started = await startSystem(
    { command: `"${process.execPath}" bin/gpc-conform serve-provider --ods ${ods} --port ${port}`, cwd: root, ready: { logLine: 'listening at' } },
    { label: 'the reference provider (serve-provider)', fallbackAddress: new URL(`http://127.0.0.1:${port}`), logFile, timeoutSeconds: 60 },
  );
  return { port, baseUrl: `http://127.0.0.1:${port}${servicePath(ods)}`, stop: () => started.stop() };
}

/**
 * A provider profile for a provider already listening at `baseUrl`: the process profile's test
 * data, capabilities and timeouts, its `start` left out. YAML text in, YAML text out.
 */
export function runningProviderProfile(processProfileYaml: string, baseUrl: string, name: string): string {
  const { start: _start, ...profile } = parse(processProfileYaml) as Record<string, unknown>;
  return stringify({ ...profile, name, baseUrl });
}

/** The same, from the profile the harness ships (profiles/reference-provider-process.yaml). */
export function referenceRunningProfile(root: string, baseUrl: string, name: string): string {
  return runningProviderProfile(readFileSync(path.join(root, 'profiles/reference-provider-process.yaml'), 'utf8'), baseUrl, name);
}
