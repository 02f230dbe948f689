/**
 * How the provider steps judge a refusal (src/rules/provider/refusals.ts): the status and Spine code
 * under the scenario's requirement, the error's shape under its own (a GPConnect-OperationOutcome-1).
 * No step definitions here.
 */
import { errorShape } from '../src/rules/provider';
import type { Findings } from '../src/rules/rule';
import type { GpcWorld } from '../support/world';

export function judgeRefusal(world: GpcWorld, findings: Findings): void {
  world.judgeScenario(findings);
  world.judge('PROV-ERROR-SYSTEM', errorShape(world.provider.answer));
}
