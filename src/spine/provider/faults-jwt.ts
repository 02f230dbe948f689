import { Header, SpineError, System } from '../../gpconnect/constants';
import { decodeJwt } from '../../gpconnect/jwt';
import { gpcOutcome } from '../../gpconnect/outcomes';
import { passThrough, rewriteJson, type FaultDefinition, type FaultInput, type Json } from './fault-kit';

/** The JWT claims of the request (an empty object when there is none to read). */
function claimsOf(input: FaultInput): Json {
  const token = (input.request.headers.get(Header.authorization) ?? '').replace(/^bearer /i, '');
  return decodeJwt(token).payload ?? {};
}

/** The answer the provider would have given had it refused the request as a bad request (a success only: refusals stay as they are). */
function refusedWhen(when: (claims: Json) => boolean, diagnostics: string): FaultDefinition['apply'] {
  return async (input) => {
    if (input.response.status >= 400 || !when(claimsOf(input))) return input.response;
    const headers = new Headers(input.response.headers);
    headers.delete('content-length');
    return new Response(JSON.stringify(gpcOutcome('invalid', SpineError.badRequest, 'Bad request', diagnostics)), { status: 400, headers });
  };
}

const practitionerIds = (claims: Json): Json[] => (Array.isArray(claims.requesting_practitioner?.identifier) ? claims.requesting_practitioner.identifier : []);

const isMetadata = (input: FaultInput) => input.request.method === 'GET' && input.url.pathname.endsWith('/metadata') && input.response.status === 200;

/** The capability statement changed by `change` (in place). */
const statementChanged =
  (change: (statement: Json) => void): FaultDefinition['apply'] =>
  async (input) =>
    isMetadata(input)
      ? rewriteJson(input.response, (b) => {
          change(b);
          return b;
        })
      : input.response;

/**
 * Reference-provider faults for the JWT's lifetime and requesting_practitioner, and the capability
 * statement's content (see faults.ts for how they are used and proven).
 */
export const JWT_AND_METADATA_FAULTS = {
  'jwt-lifetime-tolerance': {
    breaks: 'PROV-JWT-EXPIRY',
    what: 'allows a second either way on the JWT lifetime, so exp - iat of 299 or 301 s passes',
    apply: passThrough,
    bypassGuard: /^JWT exp - iat must be 300 seconds, not (299|301)$/,
  },
  'accepts-exp-before-iat': {
    breaks: 'PROV-JWT-EXPIRY',
    what: 'checks only that exp - iat is at most 300 s (with clock skew on exp), so an exp before iat passes',
    apply: passThrough,
    bypassGuard: /^JWT exp - iat must be 300 seconds, not -\d+$/,
  },
  'refuses-iat-ahead-of-clock': {
    breaks: 'PROV-JWT-EXPIRY',
    what: "refuses a JWT whose iat is after its own clock, with no leeway, though providers shall not validate iat",
    apply: refusedWhen((c) => typeof c.iat === 'number' && c.iat > Date.now() / 1000 + 5, 'JWT iat is in the future'),
  },
  'refuses-unk-sds-user-id': {
    breaks: 'PROV-JWT-PRACTITIONER-UNK',
    what: 'refuses a requesting_practitioner whose SDS user id is UNK (a user not logged on with a smartcard)',
    apply: refusedWhen((c) => practitionerIds(c).some((i) => i?.system === System.sdsUserId && i?.value === 'UNK'), 'JWT requesting_practitioner sds-user-id UNK is not a user'),
  },
  'requires-role-profile-id': {
    breaks: 'PROV-JWT-PRACTITIONER-IDENTIFIERS',
    what: 'refuses a requesting_practitioner without an SDS role profile id',
    apply: refusedWhen(
      (c) => c.requesting_practitioner !== undefined && !practitionerIds(c).some((i) => i?.system === System.sdsRoleProfileId),
      `JWT JSON entry incomplete: claim requesting_practitioner.identifier with system ${System.sdsRoleProfileId} is null.`,
    ),
  },
  'metadata-version-is-software-version': {
    breaks: 'PROV-METADATA-VERSION',
    what: "puts its software's version (0.1.0) in CapabilityStatement.version instead of the GP Connect release",
    apply: statementChanged((b) => {
      b.version = b.software?.version ?? '0.1.0';
    }),
  },
  'metadata-template-placeholders': {
    breaks: 'PROV-METADATA-CONTENT',
    what: "leaves the template's [Provider Software Name] and [Provider Software Version] in its CapabilityStatement",
    apply: statementChanged((b) => {
      b.software = { name: '[Provider Software Name]', version: '[Provider Software Version]', releaseDate: '[Provider Software Release Date]' };
    }),
  },
  'metadata-without-register-operation': {
    breaks: 'PROV-METADATA-CONTENT',
    what: 'offers Register a patient but does not declare the gpc.registerpatient operation',
    apply: statementChanged((b) => {
      for (const rest of b.rest ?? []) delete rest.operation;
    }),
  },
  'metadata-without-slot-includes': {
    breaks: 'PROV-METADATA-CONTENT',
    what: 'declares Slot search-type without its search includes',
    apply: statementChanged((b) => {
      for (const rest of b.rest ?? []) for (const r of rest.resource ?? []) if (r.type === 'Slot') delete r.searchInclude;
    }),
  },
  'metadata-without-profiles': {
    breaks: 'PROV-METADATA-CONTENT',
    what: 'declares none of the GP Connect profiles it supports',
    apply: statementChanged((b) => {
      delete b.profile;
    }),
  },
  'metadata-without-reads': {
    breaks: 'PROV-METADATA-CONTENT',
    what: 'declares Patient, Organization, Practitioner and Location without their read interaction',
    apply: statementChanged((b) => {
      for (const rest of b.rest ?? []) {
        for (const r of rest.resource ?? []) {
          if (['Patient', 'Organization', 'Practitioner', 'Location'].includes(r.type)) r.interaction = (r.interaction ?? []).filter((i: Json) => i.code !== 'read');
        }
      }
    }),
  },
} as const satisfies Record<string, FaultDefinition>;
