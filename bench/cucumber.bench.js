// Cucumber profiles for `npm run bench` (scripts/bench.ts), passed with --config. Every profile
// writes only a message stream, to BENCH_MESSAGES (a temp file), never into reports/.
const project = require('../cucumber.js');

// The support code, loader and options every area runs with, without the `ci` profile's paths and reports.
const { paths: _paths, format: _format, ...common } = project.ci;
const messages = () => [`message:${process.env.BENCH_MESSAGES || 'bench-messages.ndjson'}`];

module.exports = {
  // The reference suite: the `ci` profile's areas and support code (BENCH_SUITE_PATHS, comma-separated, narrows it).
  suite: {
    ...project.ci,
    paths: process.env.BENCH_SUITE_PATHS ? process.env.BENCH_SUITE_PATHS.split(',') : project.ci.paths,
    format: messages(),
  },
  // The harness's own support code and steps, no paths: the generated overhead feature comes on the command line.
  harness: { ...common, format: messages() },
  // The bare baseline: plain Cucumber, plain fetch, plain assertions (bench/bare/), the same loader.
  bare: {
    requireModule: common.requireModule,
    require: ['bench/bare/**/*.ts'],
    format: messages(),
    strict: true,
  },
};
