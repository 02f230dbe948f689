import { spawn } from 'node:child_process';
import type { ConsumerProfile } from '../profiles/consumer';
import { actionOutcomeFrom, actionValues, DriverFailed, noActionTemplate, outcomeFrom, requestValues, type ConsumerDriver } from './driver';
import { type ActionOutcome, type ActionRequest, type BookingRequest, type DriverOutcome } from '../../rules/consumer/judge-context';
import { fillTemplate } from './template';

/** `command`: run the profile's command with the shell; the last line it prints is the JSON outcome. */
export function commandDriver(driver: ConsumerProfile['driver'], values: Record<string, string>, timeoutMs: number, cwd?: string): ConsumerDriver {
  /** Run the filled command; the last line it prints, parsed as JSON, read by `read`. */
  function run<T>(command: string, read: (answer: unknown) => T): Promise<T> {
    return new Promise((resolve, reject) => {
      const child = spawn(command, { shell: true, cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (err += d));
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          // gone
        }
        reject(new DriverFailed(`the consumer's command did not finish within ${timeoutMs} ms: ${command}`));
      }, timeoutMs);
      child.on('error', (error) => (clearTimeout(timer), reject(new DriverFailed(`the consumer's command could not be run: ${error.message}`))));
      child.on('close', (code) => {
        clearTimeout(timer);
        const last = out.trim().split('\n').pop() ?? '';
        try {
          resolve(read(JSON.parse(last)));
        } catch {
          reject(new DriverFailed(`the consumer's command exited ${code} without a JSON outcome as its last line: ${(last || err.trim().split('\n').pop() || '(no output)').slice(0, 200)}`));
        }
      });
    });
  }
  return {
    book(request: BookingRequest): Promise<DriverOutcome> {
      return run(fillTemplate(driver.command!, requestValues(request, values), { where: 'driver.command' }), (a) => outcomeFrom(a, driver.outcome));
    },
    act(request: ActionRequest): Promise<ActionOutcome> {
      const template = driver[request.action]?.command;
      if (template === undefined) throw noActionTemplate(request.action, 'command');
      return run(fillTemplate(template, actionValues(request, values), { where: `driver.${request.action}.command` }), (a) => actionOutcomeFrom(a, request.action, driver));
    },
  };
}
