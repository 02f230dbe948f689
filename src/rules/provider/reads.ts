/**
 * The judges of Read a patient, an organisation, a practitioner and a location
 * (foundations_use_case_read_*.md): 200 with the resource of the id asked for, valid against its
 * CareConnect-GPC profile, and its ETag (development_general_api_guidance "Managing resource
 * contention"). Refusals (404 and its Spine codes) are judged in refusals.ts.
 */
import { GpcProfile } from '../../gpconnect/constants';
import { validateResource } from '../../fhir/validate';
import { seen, type ProviderAnswer } from './answer';

const PROFILE_OF: Record<string, string> = {
  Patient: GpcProfile.patient,
  Organization: GpcProfile.organization,
  Practitioner: GpcProfile.practitioner,
  Location: GpcProfile.location,
};

/** The answer is 200 with the `type` resource whose logical id is `id`, valid against the type's GP Connect profile. */
export function readAs(answer: ProviderAnswer, type: string, id: string): string[] {
  const profile = PROFILE_OF[type];
  if (!profile) throw new Error(`no profile for a read of ${type} (known: ${Object.keys(PROFILE_OF).join(', ')})`);
  if (answer.response.status !== 200) return [`${answer.asked} answered ${seen(answer)}; expected 200 with ${type}/${id}`];
  const body = answer.body;
  if (body?.resourceType !== type) return [`${answer.asked} answered 200 with ${body?.resourceType ?? 'a body that is not JSON'}, not the ${type} itself`];
  const findings: string[] = [];
  if (body.id !== id) findings.push(`${answer.asked} answered ${type}/${String(body.id)}, not ${type}/${id} that was asked for`);
  for (const issue of validateResource(body, profile)) findings.push(`the ${type} answering ${answer.asked} is not a valid ${profile.split('/').pop()}: ${issue.path}: ${issue.message}`);
  return findings;
}

