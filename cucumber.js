// Cucumber profiles. Each runs one area of the executable specification; `ci` runs every area that
// needs no outside system. Support code loads with ts-node in transpile-only mode (types are
// gated separately by `npm run typecheck`; toolchain.md "Start-up cost").
const common = {
  requireModule: [require.resolve('ts-node/register/transpile-only')],
  require: ['support/**/*.ts', 'steps/**/*.ts'],
  format: ['progress-bar', 'summary'],
  formatOptions: { snippetInterface: 'async-await' },
  strict: true,
};

/** Every area: SSP, topology, provider and consumer conformance. */
const ALL = ['features/ssp/**/*.feature', 'features/topology/**/*.feature', 'features/provider/**/*.feature', 'features/consumer/**/*.feature'];

const reports = (name) => [
  `json:reports/${name}/cucumber.json`,
  `junit:reports/${name}/junit.xml`,
  `message:reports/${name}/messages.ndjson`,
];

/**
 * Tags become Allure labels: severity and requirement. The worked-example step (story, in words),
 * the role (epic), requirement links and the system under test are set by src/evidence/evidence.ts.
 */
const allure = {
  resultsDir: 'reports/allure-results',
  labels: [
    { pattern: [/@severity:(.*)/], name: 'severity' },
    { pattern: [/@req:(.*)/], name: 'requirement' },
  ],
};

module.exports = {
  default: { ...common, paths: ALL, format: ['progress', ...reports('default')] },
  provider: { ...common, paths: ['features/provider/**/*.feature'], format: ['progress', ...reports('provider')] },
  consumer: { ...common, paths: ['features/consumer/**/*.feature'], format: ['progress', ...reports('consumer')] },
  ssp: { ...common, paths: ['features/ssp/**/*.feature'], format: ['progress', ...reports('ssp')] },
  topology: { ...common, paths: ['features/topology/**/*.feature'], format: ['progress', ...reports('topology')] },
  // The main job: every area, one run, every report at once (Allure, JSON, JUnit, messages).
  conformance: {
    ...common,
    paths: ALL,
    format: ['progress-bar', ['allure-cucumberjs/reporter', 'reports/allure-formatter.out'], ...reports('conformance')],
    formatOptions: { ...common.formatOptions, ...allure },
  },
  // `gpc-conform conformance` and `gpc-conform run`: paths, tags and the message, JSON and JUnit files
  // given by the command (src/pipeline/conformance-run.ts); Allure results where it says, progress lines.
  evidence: {
    ...common,
    format: [['allure-cucumberjs/reporter', process.env.GPC_ALLURE_OUT || 'reports/allure-formatter.out'], './src/pipeline/progress-formatter.js'],
    formatOptions: { ...common.formatOptions, ...allure, resultsDir: process.env.GPC_ALLURE_RESULTS || allure.resultsDir },
  },
  // The harness's own proof: run by test/fault-proof.test.ts with a fault switched on and the feature
  // paths on the command line (no paths here, or Cucumber would add them to those; toolchain.md pitfall 4).
  proof: { ...common, format: [] },
  ci: { ...common, paths: ALL, format: ['summary', ...reports('ci')] },
};
