// Cucumber profiles for `npm run bench` (scripts/bench.ts), passed with --config. Every profile
// writes a message stream to BENCH_MESSAGES (a temp file), and anything else to the bench's temp
// dir, never into reports/.
const project = require('../cucumber.js');

// The support code, loader and options every area runs with, without the `ci` profile's paths and reports.
const { paths: _paths, format: _format, ...common } = project.ci;
const messages = () => [`message:${process.env.BENCH_MESSAGES || 'bench-messages.ndjson'}`];

// The `ci` profile loads the compiled support code (dist/) with no loader when the build is current,
// else the TypeScript sources through ts-node: the bench's own support code goes the same way, so
// both sides of a comparison run compiled (or both from sources). The bench runs from dist/, so
// dist/bench/ is always there.
const compiled = common.requireModule.length === 0;
const benchCode = (folder) => (compiled ? [`dist/bench/${folder}/**/*.js`] : [`bench/${folder}/**/*.ts`]);

// What a real run writes besides the messages: the Allure results (to BENCH_ALLURE_RESULTS), with
// the labels the project's own Allure profile sets.
const allureOptions = project.conformance?.formatOptions ?? {};
const allure = {
  format: [['allure-cucumberjs/reporter', require('node:os').devNull]],
  formatOptions: { ...common.formatOptions, ...allureOptions, resultsDir: process.env.BENCH_ALLURE_RESULTS || 'bench-allure-results' },
};

module.exports = {
  // The reference suite: the `ci` profile's areas and support code (BENCH_SUITE_PATHS, comma-separated, narrows it).
  suite: {
    ...project.ci,
    paths: process.env.BENCH_SUITE_PATHS ? process.env.BENCH_SUITE_PATHS.split(',') : project.ci.paths,
    format: messages(),
  },
  // The harness's own support code and steps, no paths: the generated overhead feature comes on the
  // command line. Evidence on (every exchange attached, Allure results written), as in a real run.
  harness: {
    ...common,
    worldParameters: { ...common.worldParameters, evidence: true },
    format: [...messages(), ...allure.format],
    formatOptions: allure.formatOptions,
  },
  // The bare baseline: plain Cucumber, plain fetch, plain assertions (bench/bare/), the same loader.
  bare: {
    requireModule: common.requireModule,
    require: benchCode('bare'),
    format: messages(),
    strict: true,
  },
  // The least a run can be: one step that does nothing (bench/trivial/), for the re-run's baseline.
  trivial: {
    requireModule: common.requireModule,
    require: benchCode('trivial'),
    format: messages(),
    strict: true,
  },
};
