/**
 * The provider in FHIR XML (features/provider/xml.feature): the judges are in src/rules/provider/xml.ts,
 * the XML itself in src/fhir/xml.ts.
 */
import { Then, When } from '@cucumber/cucumber';
import { Header } from '../src/gpconnect/constants';
import { interactionOperation } from '../src/actors/provider/interactions';
import { fhirXml, xmlDeclared, xmlOffered, xmlOrUnsupported, seen } from '../src/rules/provider';
import type { GpcWorld } from '../support/world';

When('the consumer makes the {string} request directly with its body in XML and no Accept header', async function (this: GpcWorld, interaction: string) {
  await this.provider.askDirectly(await interactionOperation(this.provider.underTest, interaction), { xmlBody: true, removeHeader: Header.accept });
});

Then('the answer is FHIR XML in UTF-8, a valid resource', function (this: GpcWorld) {
  this.judgeScenario(fhirXml(this.provider.answer));
});

Then('the provider answers with an error, an OperationOutcome in FHIR XML in UTF-8', function (this: GpcWorld) {
  const answer = this.provider.answer;
  const findings = answer.response.status >= 400 ? [] : [`${answer.asked} answered ${seen(answer)}; expected an error`];
  if (answer.body && answer.body.resourceType !== 'OperationOutcome') findings.push(`${answer.asked} answered a ${answer.body.resourceType}, not an OperationOutcome`);
  this.judgeScenario([...findings, ...fhirXml(answer)]);
});

Then('the provider answers in XML, or refuses the format with 415', function (this: GpcWorld) {
  this.judge('PROV-CONTENT-NEGOTIATION', xmlOrUnsupported(this.provider.answer));
});

Then('the provider serves XML', function (this: GpcWorld) {
  this.judge('PROV-XML', xmlOffered(this.provider.answer));
});

Then('the capability statement lists application\\/fhir+xml among its formats', function (this: GpcWorld) {
  this.judge('PROV-XML-FORMATS', xmlDeclared(this.provider.answer));
});
