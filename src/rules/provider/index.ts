/**
 * The provider judges: pure functions from what the provider answered to findings, one sentence
 * each. The steps judge them under a requirement (`this.judge`, or `this.judgeScenario` for the
 * generic ones: status, refusal, a valid resource); src/rules/rule.ts grades and words the failure.
 */
export * from './answer';
export * from './answers';
export * from './refusals';
export * from './patients';
export * from './slots';
export * from './booking';
export * from './reads';
export * from './http';
export * from './capability';
export * from './transport';
export * from './amend-cancel';
export * from './retrieve';
export * from './searches';
export * from './xml';
