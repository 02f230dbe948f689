/**
 * The judge of what a registered Patient carries back (foundations_use_case_register_a_patient,
 * "Local registration requirements": the record SHOULD be created "using demographic details sent
 * by the consumer", and the Patient returned represents "the record created"). Only what the
 * consumer sent and the page lets it send is looked for: the official name's given names, each
 * address (by use and postcode), each telecom (by system, value and use; an email by its value) and
 * the nhsCommunication language. What the consumer left out is the provider's to fill from PDS.
 */
import { GpcExtension } from '../../gpconnect/constants';
import { patientsIn, type Json, type ProviderAnswer } from './answer';

const languageOf = (p: Json): string | undefined =>
  ((p.extension ?? []) as Json[]).find((e) => e.url === GpcExtension.nhsCommunication)?.extension?.find((e: Json) => e.url === 'language')?.valueCodeableConcept?.coding?.[0]?.code;

/** The registered Patient carries the demographics the consumer sent (a finding for each one it lost). */
export function carriesWhatWasSent(answer: ProviderAnswer, sent: Json): string[] {
  const [patient] = patientsIn(answer);
  if (!patient) return [`${answer.asked} answered no Patient to compare with what was sent`];
  const findings: string[] = [];
  const officialGiven = (p: Json): string[] => ((p.name ?? []) as Json[]).find((n) => n.use === 'official')?.given ?? [];
  const given = officialGiven(patient);
  for (const g of officialGiven(sent)) if (!given.includes(g)) findings.push(`the registered Patient's official name lacks the given name "${g}" that was sent (it has ${JSON.stringify(given)})`);
  const addresses = (patient.address ?? []) as Json[];
  for (const a of (sent.address ?? []) as Json[]) {
    if (!addresses.some((b) => (b.use ?? 'home') === (a.use ?? 'home') && b.postalCode === a.postalCode)) findings.push(`the registered Patient lacks the ${a.use} address ${a.postalCode} that was sent`);
  }
  const telecoms = (patient.telecom ?? []) as Json[];
  for (const t of (sent.telecom ?? []) as Json[]) {
    const same = (u: Json) => u.system === t.system && u.value === t.value && (t.system === 'email' || u.use === t.use);
    if (!telecoms.some(same)) findings.push(`the registered Patient lacks the ${t.use ?? t.system} ${t.system} ${t.value} that was sent`);
  }
  const language = languageOf(sent);
  if (language && languageOf(patient) !== language) findings.push(`the registered Patient's nhsCommunication language is ${JSON.stringify(languageOf(patient))}, not "${language}" that was sent`);
  return findings;
}
