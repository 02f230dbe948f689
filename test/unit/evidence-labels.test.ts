/**
 * What a scenario's Allure result says of it beyond its tags (src/evidence/evidence.ts labelScenario):
 * the role (epic), each worked-example step in words (story), each requirement as a link to its
 * section of the spec, and the system under test as a parameter. Sent as one runtime message.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MessageHolderTestRuntime, setGlobalTestRuntime } from 'allure-js-commons/sdk/runtime';
import { labelScenario } from '../../src/evidence/evidence';
import { catalogue, specLink } from '../../src/rules/catalogue';
import { workedExampleStepName } from '../../src/gpconnect/worked-example';

test('the role, the steps in words, the requirements as links and the system under test, in one message', async () => {
  const runtime = new MessageHolderTestRuntime();
  setGlobalTestRuntime(runtime);
  const book = catalogue().byId.get('PROV-BOOK')!;
  await labelScenario(['@provider', '@step:6c', '@req:PROV-BOOK', '@req:NO-SUCH-REQUIREMENT'], 'provider', { role: 'provider', name: 'Acme GP', version: '4.2' });
  assert.deepEqual(runtime.messages(), [
    {
      type: 'metadata',
      data: {
        labels: [{ name: 'epic', value: 'provider' }, { name: 'story', value: workedExampleStepName('6c') }],
        links: [{ url: specLink(book), name: `PROV-BOOK: ${book.title}`, type: 'requirement' }],
        parameters: [{ name: 'system under test', value: 'Acme GP 4.2' }],
      },
    },
  ]);
  assert.match(workedExampleStepName('6c'), /Book an appointment/);
});

test('nothing to say beyond the tags: no message', async () => {
  const runtime = new MessageHolderTestRuntime();
  setGlobalTestRuntime(runtime);
  await labelScenario(['@ssp'], undefined, undefined);
  assert.deepEqual(runtime.messages(), []);
});
