// Cucumber profiles. Each runs one area of the executable specification; `ci` runs every area that
// needs no outside system.
/**
 * What the run is about (src/actors/run-parameters.ts), from GPC_* variables for someone running
 * cucumber-js by hand; `gpc-conform` and the harness's own tests hand them over directly.
 */
function worldParameters(env = process.env) {
  const given = (name) => (env[name] === undefined || env[name] === '' ? undefined : env[name]);
  const drop = (o) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
  return drop({
    providerProfile: given('GPC_PROVIDER_PROFILE'),
    consumerProfile: given('GPC_CONSUMER_PROFILE'),
    reportDir: given('GPC_REPORT_DIR'),
    tlsDir: given('GPC_TLS_DIR'),
    allowNonLoopback: env.GPC_ALLOW_NON_LOOPBACK === '1' || undefined,
    strict: env.GPC_STRICT === '1' || undefined,
    faults: drop({ provider: given('GPC_PROVIDER_FAULTS'), consumer: given('GPC_CONSUMER_FAULTS'), ssp: given('GPC_SSP_FAULTS'), sds: given('GPC_SDS_FAULTS'), directory: given('GPC_DIRECTORY_FAULTS') }),
    variants: drop({ provider: given('GPC_PROVIDER_VARIANTS'), consumer: given('GPC_CONSUMER_VARIANTS') }),
  });
}

/**
 * The support code: compiled (dist/) when the build is current, else the TypeScript sources through
 * ts-node in transpile-only mode, so an edited step runs without a build (bin/build-state.js).
 */
const { codeMode } = require('./bin/build-state.js');
const support =
  codeMode() === 'compiled'
    ? { requireModule: [], require: ['dist/support/**/*.js', 'dist/steps/**/*.js'] }
    : { requireModule: [require.resolve('ts-node/register/transpile-only')], require: ['support/**/*.ts', 'steps/**/*.ts'] };

const common = {
  ...support,
  worldParameters: worldParameters(),
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
  ci: { ...common, worldParameters: { ...common.worldParameters, evidence: false }, paths: ALL, format: ['summary', ...reports('ci')] },
};
