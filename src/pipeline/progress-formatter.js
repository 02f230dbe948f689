// Progress for long and unattended runs (nightly logs have no terminal for a progress bar): one line
// when a feature file is done, and at once for every scenario that did not pass, with the count so
// far and the time taken. Plain JavaScript: Cucumber loads formatters before any TypeScript loader.
const { Formatter } = require('@cucumber/cucumber');

class ProgressFormatter extends Formatter {
  static documentation = 'One line per feature file done and per scenario that did not pass, with counts and elapsed time';

  constructor(options) {
    super(options);
    const pickles = new Map();
    const testCases = new Map();
    const started = new Map();
    const worst = new Map();
    const perFile = new Map();
    let total = 0;
    let done = 0;
    let begun = Date.now();
    const elapsed = () => `${((Date.now() - begun) / 1000).toFixed(0)} s`;
    const rank = { PASSED: 0, SKIPPED: 1, PENDING: 1, UNKNOWN: 2, UNDEFINED: 3, AMBIGUOUS: 3, FAILED: 4 };
    options.eventBroadcaster.on('envelope', (e) => {
      if (e.pickle) pickles.set(e.pickle.id, e.pickle);
      else if (e.testCase) {
        testCases.set(e.testCase.id, e.testCase.pickleId);
        const uri = pickles.get(e.testCase.pickleId)?.uri;
        total += 1;
        perFile.set(uri, { left: (perFile.get(uri)?.left ?? 0) + 1, passed: 0, other: 0 });
      } else if (e.testRunStarted) begun = Date.now();
      else if (e.testCaseStarted) {
        // Cucumber announces every test case before the first one starts.
        if (started.size === 0) this.log(`  ${total} scenarios to run\n`);
        started.set(e.testCaseStarted.id, e.testCaseStarted.testCaseId);
      }
      else if (e.testStepFinished) {
        const id = e.testStepFinished.testCaseStartedId;
        const result = e.testStepFinished.testStepResult;
        const before = worst.get(id);
        if (!before || (rank[result.status] ?? 2) > (rank[before.status] ?? 2)) worst.set(id, result);
      } else if (e.testCaseFinished && !e.testCaseFinished.willBeRetried) {
        const id = e.testCaseFinished.testCaseStartedId;
        const pickle = pickles.get(testCases.get(started.get(id)));
        const result = worst.get(id) ?? { status: 'PASSED' };
        done += 1;
        const file = perFile.get(pickle?.uri);
        if (!file) return;
        file.left -= 1;
        if (result.status === 'PASSED' || result.status === 'SKIPPED') file.passed += 1;
        else {
          file.other += 1;
          const reason = (result.exception?.message ?? result.message ?? '').split('\n')[0];
          this.log(`  [${done}/${total}] ${result.status} ${pickle.uri}: ${pickle.name}${reason ? `\n      ${reason}` : ''}\n`);
        }
        if (file.left === 0) this.log(`  [${done}/${total}] ${elapsed()} ${pickle.uri}: ${file.passed} passed or skipped${file.other ? `, ${file.other} not passed` : ''}\n`);
      } else if (e.testRunFinished) this.log(`  ${done} of ${total} scenarios run in ${elapsed()}\n`);
    });
  }
}

module.exports = ProgressFormatter;
