/**
 * The feature both sides of the overhead comparison run: the harness with its own steps
 * (steps/provider.steps.ts, the same step text as features/provider/capability-statement.feature and
 * search-for-free-slots.feature, their tags included: a harness scenario must name its requirement),
 * the bare baseline with bench/bare/bare.steps.ts. Each scenario is an outline with `rounds` examples,
 * so each runs `rounds` times. test/system/bench.test.ts checks every step here is one the harness defines.
 */
export const CAPABILITY = 'Capability statement';
export const SLOTS = 'Free slots';

export function overheadFeature(rounds: number): string {
  const examples = ['      | round |', ...Array.from({ length: rounds }, (_, i) => `      | ${i + 1} |`)].join('\n');
  return `@provider
Feature: Bench: the same HTTP calls, the harness's way and the bare way

  Background:
    Given the provider under test is reachable

  @step:3c @req:PROV-METADATA @req:PROV-NO-STORE
  Scenario Outline: ${CAPABILITY}, round <round>
    When the consumer asks for the capability statement
    Then the provider answers with status 200
    And the answer is a valid "CapabilityStatement" resource
    And the capability statement declares FHIR version "3.0.1"
    And the answer carries Cache-Control with the no-store directive

    Examples:
${examples}

  @step:4c @req:PROV-SLOTS @req:PROV-NO-STORE
  Scenario Outline: ${SLOTS}, round <round>
    When the consumer searches for free slots from 1 to 8 days ahead
    Then the provider answers with status 200
    And the answer is a valid "Free slots response" resource
    And every Slot offered is free and inside the window
    And the Bundle includes the Organization
    And the answer carries Cache-Control with the no-store directive

    Examples:
${examples}
`;
}

/** The scenario's kind from its name ("Capability statement, round 3" -> "Capability statement"). */
export const kindOf = (scenarioName: string): string => scenarioName.replace(/, round \d+$/, '');
