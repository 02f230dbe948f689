import { existsSync, readFileSync } from 'node:fs';
import { noteLine, type RuleNote } from '../../results/rule-note';

/** A scenario's warnings, by its name (the JUnit test case's), in run order. */
export interface ScenarioWarnings {
  name: string;
  notes: RuleNote[];
}

function escapeAttribute(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function attribute(tag: string, name: string): number {
  return Number(tag.match(new RegExp(`\\s${name}="([^"]*)"`))?.[1] ?? 0) || 0;
}

/**
 * One JUnit file for CI from each part's Cucumber JUnit output: a `<testsuites>` holding each
 * part's `<testsuite>`, renamed after the part, its test cases' class names prefixed with the part
 * so the same scenario against two systems stays two rows. A part that wrote nothing (a crash)
 * becomes a suite with one error saying so: a CI page must never show green for a run that died.
 */
export function mergeJunit(parts: Array<{ name: string; title: string; file: string; runError?: string; warnings?: ScenarioWarnings[] }>, suiteName = 'GP Connect conformance'): string {
  const totals = { tests: 0, failures: 0, errors: 0, skipped: 0, time: 0 };
  const suites = parts.map((part) => {
    const text = existsSync(part.file) ? readFileSync(part.file, 'utf8') : '';
    // A file cut off by a crash mid-write is no result either.
    const open = text.includes('</testsuite>') ? text.match(/<testsuite\b[^>]*>/)?.[0] : undefined;
    if (!open) {
      totals.tests += 1;
      totals.errors += 1;
      const why = part.runError ?? `no complete JUnit results at ${part.file}: the run did not complete`;
      return `  <testsuite name="${escapeAttribute(part.title)}" tests="1" failures="0" errors="1" skipped="0" time="0">\n    <testcase classname="${escapeAttribute(part.name)}" name="the run itself"><error message="${escapeAttribute(why)}"/></testcase>\n  </testsuite>`;
    }
    for (const key of ['tests', 'failures', 'errors', 'skipped', 'time'] as const) totals[key] += attribute(open, key);
    const body = withWarnings(text.slice(text.indexOf(open)), part.warnings ?? []).replace(/^<testsuite\b([^>]*?)\sname="[^"]*"/, (_, before: string) => `<testsuite${before} name="${escapeAttribute(part.title)}"`);
    return body
      .replace(/<testcase classname="([^"]*)"/g, (_, cls: string) => `<testcase classname="${escapeAttribute(part.name)}.${cls}"`)
      .trim()
      .split('\n')
      .map((line) => `  ${line}`)
      .join('\n');
  });
  const head = `<testsuites name="${escapeAttribute(suiteName)}" tests="${totals.tests}" failures="${totals.failures}" errors="${totals.errors}" skipped="${totals.skipped}" time="${totals.time.toFixed(3)}">`;
  return `<?xml version="1.0" encoding="UTF-8"?>\n${head}\n${suites.join('\n')}\n</testsuites>\n`;
}

/**
 * A warning does not fail a test case, so CI shows it where a passing case has room for it: a
 * `warning` property per note (what tools read) and the note at the end of the case's output (what
 * people read).
 */
function withWarnings(suite: string, warnings: ScenarioWarnings[]): string {
  if (warnings.length === 0) return suite;
  const left = [...warnings];
  return suite.replace(/(<testcase\b[^>]*\bname="([^"]*)"[^>]*?)(\/>|>([\s\S]*?)<\/testcase>)/g, (whole, open: string, name: string, _end: string, inner: string | undefined) => {
    const at = left.findIndex((w) => escapeAttribute(w.name) === name);
    if (at < 0) return whole;
    const [{ notes }] = left.splice(at, 1);
    const properties = `<properties>${notes.map((n) => `<property name="warning" value="${escapeAttribute(noteLine(n))}"/>`).join('')}</properties>`;
    const text = notes.map((n) => `WARNING ${noteLine(n)} (${n.source})`).join('\n').replace(/]]>/g, ']]]]><![CDATA[>');
    const content = inner ?? '';
    const out = content.includes(']]></system-out>') ? content.replace(']]></system-out>', `\n${text}]]></system-out>`) : `${content}<system-out><![CDATA[${text}]]></system-out>`;
    return `${open}>${properties}${out}</testcase>`;
  });
}
