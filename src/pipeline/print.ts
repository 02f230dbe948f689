import path from 'node:path';
import type { Outcome } from '../results/outcome';
import { MESSAGES_FILE } from '../results/messages-file';
import { noteLine } from '../results/rule-note';
import type { ConformanceRunResult } from './conformance-run';
import { outputsOf } from './layout';
import { LEFT_OUT } from './report-level';

const ROLE_TITLES: Record<string, string> = { consumer: 'Consumer', provider: 'Provider', ssp: 'SSP', topology: 'Topology', other: 'Other' };

function countsLine(c: Record<Outcome, number>): string {
  return `${c.passed} passed, ${c.failed} failed, ${c.broken} broken, ${c.skipped} skipped, ${c['harness-error']} harness errors`;
}

/** Relative to where the user is, unless that means climbing out of it. */
const shown = (file: string) => {
  const relative = path.relative(process.cwd(), file);
  return relative.startsWith('..') ? file : relative || '.';
};

/**
 * What a supplier or a nightly log reads at the end of a run: what did not pass and why, the
 * counts per role, the requirements, where every output is and how to open the report, the command
 * that re-runs what did not pass, the verdict, and the closing `N passed, N failed` line.
 */
export function printRunResult({ summary, allure, evidencePack, report, problems }: ConformanceRunResult, out: string): void {
  const files = outputsOf(out);
  const notPassed = summary.scenarios.filter((s) => s.outcome !== 'passed' && s.outcome !== 'skipped');
  if (notPassed.length > 0) {
    console.log('\nWhat did not pass:');
    for (const s of notPassed) {
      console.log(`  ${s.outcome.toUpperCase().padEnd(13)} ${s.location} ${s.name}${summary.run.parts.length > 1 ? ` [${s.part}]` : ''}`);
      const failures = (s.notes ?? []).filter((n) => n.grade === 'failure');
      for (const note of failures) console.log(`                ${noteLine(note)}\n                  ${note.source}${note.quote ? ` — "${note.quote}"` : ''}`);
      // And what failed besides the rules (an After hook's bound: late requests, a flood): never hidden by a rule's note.
      const ruleLines = failures.map(noteLine);
      for (const reason of s.reasons ?? [s.reason ?? '']) if (!(reason === '' && failures.length > 0) && !ruleLines.some((line) => reason.startsWith(line))) console.log(`                ${reason}`);
    }
  }
  const notReached = summary.scenarios.filter((s) => s.outcome === 'skipped' && s.notes?.some((n) => n.grade === 'not-reached'));
  if (notReached.length > 0) {
    console.log('\nNot reached (skipped: the system stopped before the situation arose):');
    for (const s of notReached) console.log(`  NOT REACHED   ${s.location} ${s.name}\n                ${s.reason ?? ''}`);
  }
  const warned = summary.scenarios.filter((s) => s.notes?.some((n) => n.grade === 'warning'));
  if (warned.length > 0) {
    console.log('\nWarnings (these scenarios passed; --strict makes warnings failures):');
    for (const s of warned) {
      console.log(`  WARNING       ${s.location} ${s.name}${summary.run.parts.length > 1 ? ` [${s.part}]` : ''}`);
      for (const note of s.notes!.filter((n) => n.grade === 'warning')) {
        console.log(`                ${noteLine(note)}\n                  ${note.exactFrom ? `expected by ${note.exactFrom}; ` : ''}${note.source}${note.quote ? ` — "${note.quote}"` : ''}`);
      }
    }
  }
  for (const part of summary.run.parts) if (part.runError) console.log(`\nThe run itself (${part.name}): ${part.runError}`);
  if (summary.run.partial) console.log(`\nThis is a partial run: ${summary.run.partialReasons.join('; ')}`);

  console.log('\nConformance summary');
  for (const [role, counts] of Object.entries(summary.roles)) console.log(`${ROLE_TITLES[role] ?? role} conformance: ${countsLine(counts)}`);
  const req = summary.requirements.reduce<Record<string, number>>((acc, r) => ({ ...acc, [r.outcome]: (acc[r.outcome] ?? 0) + 1 }), {});
  console.log(`Requirements: ${summary.requirements.length} in the catalogue: ${Object.entries(req).map(([o, n]) => `${n} ${o}`).join(', ')}`);

  console.log('');
  if (allure.report && allure.form === 'page') console.log(`Allure report: ${shown(allure.report)} (one page: open it in a browser, from disk or any web server)`);
  if (allure.report && allure.form === 'folder') console.log(`Allure report: ${shown(allure.report)}/index.html\n  serve it with: node node_modules/allure-commandline/bin/allure open ${shown(allure.report)}`);
  if (evidencePack) console.log(`Evidence pack: ${shown(evidencePack)}`);
  console.log(`Results: ${shown(files.summary)}, ${shown(files.junit)}, ${shown(files.coverage)}, ${shown(files.parts)}/*/${MESSAGES_FILE}`);
  if (LEFT_OUT[report]) console.log(`Left out (--report ${report}): ${LEFT_OUT[report]}. Write what was left out, from this run, with:\n  node bin/gpc-conform report --out ${shown(out)} --report full\n  (or run again with --report full)`);
  for (const problem of problems) console.log(`Not written: ${problem}`);
  if (summary.run.rerunCommand) console.log(`\nRe-run what did not pass:\n  ${summary.run.rerunCommand}`);

  const warnings = summary.warnings?.count ? `, with ${summary.warnings.count} warning${summary.warnings.count === 1 ? '' : 's'} in ${summary.warnings.scenarios} scenario${summary.warnings.scenarios === 1 ? '' : 's'}` : '';
  console.log(`\nVerdict: ${summary.verdict.meaning}${summary.run.partial ? ' for what ran (a partial run)' : ''}${warnings} (exit code ${summary.verdict.exitCode})`);
  const c = summary.counts;
  console.log(`${c.passed} passed, ${c.failed + c.broken + c['harness-error']} failed`);
}
