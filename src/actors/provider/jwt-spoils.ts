/**
 * Bearer tokens with one thing changed (gpconnect-spec.md §4 and "What providers actually do"), by
 * the words the features use: most a provider must refuse, some it must answer. Each is one mistake in an otherwise conformant request, so the
 * provider's answer can only be about that mistake.
 */
import { createHmac } from 'node:crypto';
import { Header, System } from '../../gpconnect/constants';
import { decodeJwt } from '../../gpconnect/jwt';
import type { GpcOperation } from '../../gpconnect/operations';
import type { DirectSpoil, ProviderUnderTest } from './provider-under-test';

type Json = Record<string, any>;
const b64url = (o: unknown) => Buffer.from(typeof o === 'string' ? o : JSON.stringify(o), 'utf8').toString('base64url');

/** The audit page's example system for the consumer's local user id. */
const LOCAL_USER_ID_SYSTEM = 'https://consumersupplier.com/Id/user-guid';

/** Claims spoiled, with the rest of the conformant JWT left as it is (the claim set to undefined is removed). */
const CLAIM_SPOILS: Record<string, (claims: Json) => Json> = {
  // §4: reason_for_request SHALL be directcare.
  'reason_for_request is not directcare': () => ({ reason_for_request: 'research' }),
  // §4: sub SHALL equal requesting_practitioner.id.
  'sub is not the requesting practitioner': () => ({ sub: 'someone-else' }),
  // §4: exp and iat are integers (UNIX seconds).
  'exp is not a number of seconds': (c) => ({ exp: new Date((c.exp as number) * 1000).toISOString() }),
  // iat an hour ahead (exp still iat + 300): to be answered, since providers shall not validate iat (gpconnect#640, PTEST #188).
  'iat is an hour in the future': (c) => ({ iat: (c.iat as number) + 3600, exp: (c.iat as number) + 3900 }),
  // iat 200 s ahead (the official test's "Creation Time - in the future" value), exp iat + 300: to be answered.
  'iat is 200 seconds in the future': (c) => ({ iat: (c.iat as number) + 200, exp: (c.iat as number) + 500 }),
  // The audit page's requesting_practitioner: the SDS user and role profile ids are "UNK" for a user not logged on with a
  // smartcard, beside a local user id (PTEST FhirHelper.GetUnkPractitioner, #224): to be answered.
  "requesting_practitioner's SDS ids are UNK": (c) => ({
    requesting_practitioner: {
      ...c.requesting_practitioner,
      identifier: [
        { system: System.sdsUserId, value: 'UNK' },
        { system: System.sdsRoleProfileId, value: 'UNK' },
        { system: LOCAL_USER_ID_SYSTEM, value: '98ed4f78-814d-4266-8d5b-cde742f3093c' },
      ],
    },
  }),
  // "the latter two elements (SDS role profile ID, and local user identifier) are not always present" (audit page;
  // PTEST FhirHelper.GetNoProfAndGuid, #224): to be answered.
  'requesting_practitioner has only an SDS user id': (c) => ({
    requesting_practitioner: { ...c.requesting_practitioner, identifier: (c.requesting_practitioner.identifier as Json[]).filter((i) => i.system === System.sdsUserId) },
  }),
  // §4, §5.7: the DSTU2 requested_record claim (a provider may ignore it, RFC 7519 §4; no scenario demands its refusal).
  'it carries the DSTU2 requested_record claim': () => ({ requested_record: { resourceType: 'Patient', identifier: [{ system: System.nhsNumber, value: '9693632109' }] } }),
  // §4 aud SHALL be the provider's service root (since 1.2.3); the pre-1.2.3 fixed value is not it.
  "aud is not the provider's service root": () => ({ aud: 'https://authorize.fhir.nhs.net/token' }),
  // FHIR-resource claims (§4): a valid resource of the wrong type → 400.
  'requesting_device is a Patient': (c) => ({ requesting_device: { ...c.requesting_device, resourceType: 'Patient' } }),
  'requesting_practitioner is an Organization': (c) => ({ requesting_practitioner: { ...c.requesting_practitioner, resourceType: 'Organization' } }),
  // Missing what the minimal resources need (§4) → 400.
  'requesting_organization has no ODS code': (c) => ({
    requesting_organization: { ...c.requesting_organization, identifier: (c.requesting_organization.identifier as Json[]).filter((i) => i.system !== System.odsOrganizationCode) },
  }),
  'requesting_practitioner has no SDS user id': (c) => ({
    requesting_practitioner: { ...c.requesting_practitioner, identifier: (c.requesting_practitioner.identifier as Json[]).filter((i) => i.system !== System.sdsUserId) },
  }),
  'requesting_device has no model': (c) => ({ requesting_device: { ...c.requesting_device, model: undefined } }),
  // Not readable as a FHIR resource at all (§4: 422).
  'requesting_device is not a FHIR resource': () => ({ requesting_device: 'gpc-conform 0.1.0' }),
  'requesting_device has an unknown resourceType': (c) => ({ requesting_device: { ...c.requesting_device, resourceType: 'Gadget' } }),
  'requesting_practitioner has an unknown resourceType': (c) => ({ requesting_practitioner: { ...c.requesting_practitioner, resourceType: 'InvalidResourceType' } }),
  'requesting_practitioner has a name that is not a HumanName': (c) => ({ requesting_practitioner: { ...c.requesting_practitioner, name: 'Dr Claire Jones' } }),
};

/** The token itself spoiled (§4: an unsecured JWT, header {"alg":"none","typ":"JWT"}, three base64url parts, empty signature). */
const TOKEN_SPOILS: Record<string, (header: string, payload: string) => string> = {
  'it is signed with HS256': (_h, p) => {
    const header = b64url({ alg: 'HS256', typ: 'JWT' });
    return `${header}.${p}.${createHmac('sha256', 'gpc-conform').update(`${header}.${p}`).digest('base64url')}`;
  },
  'its header says alg none but it has a signature': (h, p) => `${h}.${p}.${b64url('signature')}`,
  'it has two parts, without the trailing dot': (h, p) => `${h}.${p}`,
  'its payload is not base64url': (h, p) => `${h}.${p.replace(/-/g, '+').replace(/_/g, '/')}+/==.`,
  'its payload is not JSON': (h) => `${h}.${b64url('iss=https://consumer.gpc-conform.test/')}.`,
};

/** The spoils the features may name. */
export const JWT_SPOIL_NAMES = [...Object.keys(CLAIM_SPOILS), ...Object.keys(TOKEN_SPOILS), 'the Authorization scheme is Basic'];

/**
 * The DirectSpoil for one described mistake, built on the JWT a conformant consumer would send for
 * `operation` right now (so aud, iat and scope are otherwise right).
 */
export async function jwtSpoil(provider: ProviderUnderTest, operation: GpcOperation, mistake: string): Promise<DirectSpoil> {
  if (!JWT_SPOIL_NAMES.includes(mistake)) throw new Error(`no JWT spoil called "${mistake}"; known: ${JWT_SPOIL_NAMES.join(' | ')}`);
  if (mistake === 'the Authorization scheme is Basic') return { authorization: `Basic ${Buffer.from('gpc-conform:secret').toString('base64')}` };
  const prepared = await provider.conformantRequest(operation);
  const token = prepared.headers.find(([n]) => n.toLowerCase() === Header.authorization.toLowerCase())![1].replace(/^Bearer /, '');
  const claimSpoil = CLAIM_SPOILS[mistake];
  if (claimSpoil) return { claims: claimSpoil(decodeJwt(token).payload ?? {}) };
  const [header, payload] = token.split('.');
  return { authorization: `Bearer ${TOKEN_SPOILS[mistake](header, payload)}` };
}
