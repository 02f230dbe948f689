import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import { GpcProfile, Header, Interaction, MediaType, SCOPE_FOR_INTERACTION, Scope, SpineError, System } from '../../src/gpconnect/constants';
import { jwtClaims } from '../../src/actors/provider/requests';
import { encodeUnsecuredJwt } from '../../src/gpconnect/jwt';
import { outcomeCode } from '../../src/gpconnect/outcomes';
import type { ProviderContext, ProviderState } from '../../src/spine/provider/context';
import { guard, namesServiceRoot, relativePath, withStandardHeaders, type ProviderGuardOptions } from '../../src/spine/provider/guard';

const NOW = new Date('2025-03-10T10:00:00Z');
const NOW_S = Math.floor(NOW.getTime() / 1000);
const ROOT = 'https://provider.gpc-conform.test/A20047/STU3/1/gpconnect';
const PROVIDER_ASID = '918999198993';
const CONSUMER_ASID = '200000000359';

/** The guard reads nothing from the state: a fake that fails loudly if it ever does. */
const state = new Proxy({ ods: 'A20047', organisationName: "Dr Legg's Surgery", organisationId: '1' } as unknown as ProviderState, {
  get(target, prop) {
    if (prop in target) return (target as unknown as Record<string | symbol, unknown>)[prop];
    return () => {
      throw new Error(`the guard must not call state.${String(prop)}`);
    };
  },
});

const ctx: ProviderContext = { serviceRoot: ROOT, ods: 'A20047', asid: PROVIDER_ASID, state, pds: [], now: () => NOW };

const party = { ods: 'B82617', organisationName: 'Coxwold Surgery', practitionerId: '10019' };

interface Op {
  interaction: string;
  method: string;
  path: string;
  body?: string;
}
const OPS: Record<string, Op> = {
  metadata: { interaction: Interaction.readMetadata, method: 'GET', path: '/metadata' },
  findPatient: { interaction: Interaction.searchPatient, method: 'GET', path: `/Patient?identifier=${encodeURIComponent(`${System.nhsNumber}|9658218865`)}` },
  register: { interaction: Interaction.registerPatient, method: 'POST', path: '/Patient/$gpc.registerpatient', body: '{"resourceType":"Parameters"}' },
  slots: { interaction: Interaction.searchSlot, method: 'GET', path: '/Slot?status=free' },
  book: { interaction: Interaction.createAppointment, method: 'POST', path: '/Appointment', body: '{"resourceType":"Appointment"}' },
  readAppointment: { interaction: Interaction.readAppointment, method: 'GET', path: '/Appointment/1' },
};

interface Spoil {
  claims?: (c: Record<string, unknown>) => void;
  headers?: (h: Record<string, string>) => void;
  token?: (t: string) => string;
  path?: string;
}

function claimsFor(op: Op): Record<string, unknown> {
  return jwtClaims(party, ROOT, op.interaction, NOW);
}

function request(op: Op = OPS.findPatient, spoil: Spoil = {}): Request {
  const claims = claimsFor(op);
  spoil.claims?.(claims);
  let token = encodeUnsecuredJwt(claims);
  if (spoil.token) token = spoil.token(token);
  const headers: Record<string, string> = {
    [Header.sspTraceId]: randomUUID(),
    [Header.sspFrom]: CONSUMER_ASID,
    [Header.sspTo]: PROVIDER_ASID,
    [Header.sspInteractionId]: op.interaction,
    [Header.authorization]: `Bearer ${token}`,
    [Header.accept]: MediaType.fhirJson,
  };
  if (op.body !== undefined) headers[Header.contentType] = MediaType.fhirJsonUtf8;
  spoil.headers?.(headers);
  return new Request(ROOT + (spoil.path ?? op.path), { method: op.method, headers, body: op.body });
}

async function refused(result: ReturnType<typeof guard>, status: number, code: string = SpineError.badRequest, why = ''): Promise<void> {
  assert.ok(result instanceof Response, `expected a ${status} refusal${why ? ` (${why})` : ''}, but the guard passed the request`);
  const body = await result.json();
  assert.equal(result.status, status, `status; diagnostics: ${outcomeCode(body).diagnostics}`);
  const oo = outcomeCode(body);
  assert.equal(oo.code, code);
  assert.equal(oo.system, System.spineErrorCodeStu3);
  assert.deepEqual((body as { meta: { profile: string[] } }).meta.profile, [GpcProfile.operationOutcome]);
}

function passed(result: ReturnType<typeof guard>, interaction: string): void {
  if (result instanceof Response) assert.fail(`expected the request to pass, got ${result.status}`);
  assert.deepEqual(result, { interaction, format: 'json' });
}

const run = (req: Request, options?: ProviderGuardOptions) => guard(ctx, req, options);

describe('guard: conformant requests pass', () => {
  for (const [name, op] of Object.entries(OPS)) {
    test(`${name} (${op.method} ${op.path.split('?')[0]})`, () => passed(run(request(op)), op.interaction));
  }
  test('header names are case-insensitive (PTEST sends Ssp-InteractionId)', () => {
    const op = OPS.metadata;
    const req = request(op, {
      headers: (h) => {
        const value = h[Header.sspInteractionId];
        delete h[Header.sspInteractionId];
        h['Ssp-InteractionId'] = value;
        h['ssp-traceid'] = h[Header.sspTraceId];
        delete h[Header.sspTraceId];
      },
    });
    passed(run(req), op.interaction);
  });
  test('served under a loopback base whose path differs from the service root', () => {
    const claims = claimsFor(OPS.metadata);
    const req = new Request('http://127.0.0.1:9443/provider/metadata', {
      headers: {
        [Header.sspTraceId]: randomUUID(),
        [Header.sspFrom]: CONSUMER_ASID,
        [Header.sspTo]: PROVIDER_ASID,
        [Header.sspInteractionId]: Interaction.readMetadata,
        [Header.authorization]: `Bearer ${encodeUnsecuredJwt(claims)}`,
      },
    });
    passed(run(req), Interaction.readMetadata);
    assert.equal(relativePath(ctx, new URL(`${ROOT}/Patient/2/Appointment`)), '/Patient/2/Appointment');
  });
  test('sds-user-id UNK and no role-profile id are accepted (PTEST #224)', () => {
    const req = request(OPS.findPatient, {
      claims: (c) => {
        (c.requesting_practitioner as Record<string, unknown>).identifier = [{ system: System.sdsUserId, value: 'UNK' }];
      },
    });
    passed(run(req), Interaction.searchPatient);
  });
  test('aud is compared with the service root by default (§4 since 1.2.3), and not with checkAudience: false (DEMO)', async () => {
    const req = () => request(OPS.metadata, { claims: (c) => (c.aud = 'https://authorize.fhir.nhs.net/token') });
    await refused(run(req()), 400);
    await refused(run(req(), { checkAudience: true }), 400);
    passed(run(req(), { checkAudience: false }), Interaction.readMetadata);
    passed(run(request(OPS.metadata)), Interaction.readMetadata);
    // A trailing slash on either side is the same service root.
    passed(run(request(OPS.metadata, { claims: (c) => (c.aud = `${ROOT}/`) })), Interaction.readMetadata);
  });
  test('aud names the service root by its path; the host may be another name for the provider', () => {
    assert.equal(namesServiceRoot(ROOT, ROOT), true);
    assert.equal(namesServiceRoot(`${ROOT}/`, ROOT), true);
    assert.equal(namesServiceRoot('https://gpc.a20047.other.test/A20047/STU3/1/gpconnect', ROOT), false);
    assert.equal(namesServiceRoot('http://127.0.0.1:4100/A20047/STU3/1/gpconnect', 'http://127.0.0.1:4101/A20047/STU3/1/gpconnect'), false);
    assert.equal(namesServiceRoot('https://authorize.fhir.nhs.net/token', ROOT), false);
    assert.equal(namesServiceRoot('https://provider.gpc-conform.test/B82617/STU3/1/gpconnect', ROOT), false);
    assert.equal(namesServiceRoot('/A20047/STU3/1/gpconnect', ROOT), false);
    assert.equal(namesServiceRoot('urn:A20047/STU3/1/gpconnect', ROOT), false);
    assert.equal(namesServiceRoot(`${ROOT}?x=1`, ROOT), false);
  });
});

describe('guard: Ssp-* headers (§2.3, §5.1)', () => {
  for (const name of [Header.sspTraceId, Header.sspFrom, Header.sspTo, Header.sspInteractionId]) {
    test(`${name} missing → 400 BAD_REQUEST`, () => refused(run(request(OPS.metadata, { headers: (h) => delete h[name] })), 400));
    test(`${name} blank → 400 BAD_REQUEST`, () => refused(run(request(OPS.metadata, { headers: (h) => (h[name] = '  ') })), 400));
  }
  test('Ssp-To not this provider → 400 BAD_REQUEST', () => refused(run(request(OPS.metadata, { headers: (h) => (h[Header.sspTo] = '123456789123') })), 400));
  test('unknown interaction → 400 BAD_REQUEST', () =>
    refused(run(request(OPS.metadata, { headers: (h) => (h[Header.sspInteractionId] = 'urn:nhs:names:services:gpconnect:fhir:rest:read:metadata') })), 400));
  test('interaction for another path → 400 BAD_REQUEST', () =>
    refused(run(request(OPS.metadata, { headers: (h) => (h[Header.sspInteractionId] = Interaction.searchPatient) })), 400));
  test('interaction with the wrong verb (POST /metadata) → 400 BAD_REQUEST', () =>
    refused(run(new Request(`${ROOT}/metadata`, { method: 'POST', headers: Object.fromEntries(request(OPS.metadata).headers) })), 400));
  test('read appointment without an id → 400 BAD_REQUEST', () => refused(run(request(OPS.readAppointment, { path: '/Appointment' })), 400));
  test('Patient search with an id in the path → 400 BAD_REQUEST', () => refused(run(request(OPS.findPatient, { path: '/Patient/2' })), 400));
  for (const [name, op] of Object.entries(OPS)) {
    const other = Object.values(OPS).find((o) => o.interaction !== op.interaction && (o.method !== op.method || o.path.split('?')[0] !== op.path.split('?')[0]))!;
    test(`${name} path with ${other.interaction.split(':').pop()} interaction → 400`, () =>
      refused(run(request(op, { headers: (h) => (h[Header.sspInteractionId] = other.interaction) })), 400));
  }
});

const tokenParts = (t: string) => t.split('.');
const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');

describe('guard: JWT well-formedness (§4)', () => {
  test('no Authorization → 400', () => refused(run(request(OPS.metadata, { headers: (h) => delete h[Header.authorization] })), 400));
  test('not Bearer → 400', () => refused(run(request(OPS.metadata, { headers: (h) => (h[Header.authorization] = h[Header.authorization].replace('Bearer', 'Basic')) })), 400));
  test('padded base64 → 400', () =>
    refused(
      run(
        request(OPS.metadata, {
          token: (t) => {
            const [h, p] = tokenParts(t);
            return `${Buffer.from(Buffer.from(h, 'base64url')).toString('base64')}.${Buffer.from(Buffer.from(p, 'base64url')).toString('base64')}.`;
          },
        }),
      ),
      400,
    ));
  test('the padded form really has padding or base64 characters (the test can fail)', () => {
    const [h] = tokenParts(encodeUnsecuredJwt(claimsFor(OPS.metadata)));
    assert.match(Buffer.from(h, 'base64url').toString('base64'), /[=+/]/);
  });
  test('no trailing dot (two parts) → 400', () => refused(run(request(OPS.metadata, { token: (t) => t.slice(0, -1) })), 400));
  test('four parts → 400', () => refused(run(request(OPS.metadata, { token: (t) => t + '.' })), 400));
  test('signed (alg HS256 with a signature) → 400', () =>
    refused(run(request(OPS.metadata, { token: (t) => `${b64({ alg: 'HS256', typ: 'JWT' })}.${tokenParts(t)[1]}.c2lnbmF0dXJl` })), 400));
  test('alg HS256 with empty signature → 400', () => refused(run(request(OPS.metadata, { token: (t) => `${b64({ alg: 'HS256', typ: 'JWT' })}.${tokenParts(t)[1]}.` })), 400));
  test('alg none with a signature → 400', () => refused(run(request(OPS.metadata, { token: (t) => `${t}c2lnbmF0dXJl` })), 400));
  test('typ not JWT → 400', () => refused(run(request(OPS.metadata, { token: (t) => `${b64({ alg: 'none', typ: 'JWS' })}.${tokenParts(t)[1]}.` })), 400));
  test('extra header key → 400', () => refused(run(request(OPS.metadata, { token: (t) => `${b64({ alg: 'none', typ: 'JWT', kid: '1' })}.${tokenParts(t)[1]}.` })), 400));
  test('payload not JSON → 400', () => refused(run(request(OPS.metadata, { token: (t) => `${tokenParts(t)[0]}.${Buffer.from('{not json').toString('base64url')}.` })), 400));
});

describe('guard: required claims (§4)', () => {
  const top = ['iss', 'sub', 'aud', 'exp', 'iat', 'reason_for_request', 'requested_scope', 'requesting_device', 'requesting_organization', 'requesting_practitioner'];
  for (const claim of top) {
    test(`${claim} missing → 400`, () => refused(run(request(OPS.findPatient, { claims: (c) => delete c[claim] })), 400));
    test(`${claim} null → 400`, () => refused(run(request(OPS.findPatient, { claims: (c) => (c[claim] = null) })), 400));
  }
  type Obj = Record<string, unknown>;
  const nested: Array<[string, (c: Obj) => void]> = [
    ['requesting_device.identifier', (c) => delete (c.requesting_device as Obj).identifier],
    ['requesting_device.identifier.system', (c) => delete ((c.requesting_device as Obj).identifier as Obj[])[0].system],
    ['requesting_device.identifier.value', (c) => delete ((c.requesting_device as Obj).identifier as Obj[])[0].value],
    ['requesting_device.model', (c) => delete (c.requesting_device as Obj).model],
    ['requesting_device.version', (c) => delete (c.requesting_device as Obj).version],
    ['requesting_organization.name', (c) => delete (c.requesting_organization as Obj).name],
    ['requesting_organization.identifier', (c) => delete (c.requesting_organization as Obj).identifier],
    ['requesting_organization ODS identifier', (c) => (((c.requesting_organization as Obj).identifier as Obj[])[0].system = 'https://example.com/org')],
    ['requesting_practitioner.id', (c) => delete (c.requesting_practitioner as Obj).id],
    ['requesting_practitioner.name', (c) => delete (c.requesting_practitioner as Obj).name],
    ['requesting_practitioner.name.family', (c) => delete ((c.requesting_practitioner as Obj).name as Obj[])[0].family],
    ['requesting_practitioner.name.given', (c) => delete ((c.requesting_practitioner as Obj).name as Obj[])[0].given],
    ['requesting_practitioner sds-user-id', (c) => ((c.requesting_practitioner as Obj).identifier = [{ system: System.sdsRoleProfileId, value: '444555666777' }])],
  ];
  for (const [name, spoil] of nested) {
    test(`${name} missing → 400`, () => refused(run(request(OPS.findPatient, { claims: spoil })), 400));
  }
  const requestedRecord = (c: Record<string, unknown>) => (c.requested_record = { resourceType: 'Patient', identifier: [{ system: System.nhsNumber, value: '9658218865' }] });
  test('requested_record present (DSTU2 leftover) → 400, as DEMO', () => refused(run(request(OPS.findPatient, { claims: requestedRecord })), 400));
  test('requested_record ignored when the provider ignores unknown claims (RFC 7519 §4)', () =>
    passed(run(request(OPS.findPatient, { claims: requestedRecord }), { refuseRequestedRecord: false }), Interaction.searchPatient));
});

describe('guard: claim values (§4)', () => {
  test('exp - iat = 3600 → 400', () => refused(run(request(OPS.metadata, { claims: (c) => (c.exp = (c.iat as number) + 3600) })), 400));
  test('expired (iat -600 s) → 400', () =>
    refused(
      run(
        request(OPS.metadata, {
          claims: (c) => {
            c.iat = NOW_S - 600;
            c.exp = NOW_S - 300;
          },
        }),
      ),
      400,
    ));
  test('exp a string → 400', () => refused(run(request(OPS.metadata, { claims: (c) => (c.exp = String(c.exp)) })), 400));
  const future = (seconds: number) => (c: Record<string, unknown>) => {
    c.iat = NOW_S + seconds;
    c.exp = NOW_S + seconds + 300;
  };
  test('iat +200 s is accepted (PTEST issue #188)', () => passed(run(request(OPS.metadata, { claims: future(200) })), Interaction.readMetadata));
  test('iat an hour ahead is accepted: providers shall not validate iat (gpconnect#640)', () => passed(run(request(OPS.metadata, { claims: future(3600) })), Interaction.readMetadata));
  test('reason_for_request not directcare → 400', () => refused(run(request(OPS.metadata, { claims: (c) => (c.reason_for_request = 'secondaryuses') })), 400));
  test('sub ≠ requesting_practitioner.id → 400', () => refused(run(request(OPS.metadata, { claims: (c) => (c.sub = '99999') })), 400));
  const lenient = { validateClaimValues: false };
  type Obj = Record<string, unknown>;
  const values: Array<[string, (c: Obj) => void]> = [
    ['reason_for_request not directcare', (c) => (c.reason_for_request = 'secondaryuses')],
    ['sub ≠ requesting_practitioner.id', (c) => (c.sub = '99999')],
    ['no sds-user-id', (c) => ((c.requesting_practitioner as Obj).identifier = [{ system: System.sdsRoleProfileId, value: '444555666777' }])],
    ['device without model', (c) => delete (c.requesting_device as Obj).model],
  ];
  for (const [name, spoil] of values) {
    test(`${name} is accepted by a provider that does not validate claim values`, () => passed(run(request(OPS.metadata, { claims: spoil }), lenient), Interaction.readMetadata));
  }
  for (const [name, op] of Object.entries(OPS)) {
    const right = SCOPE_FOR_INTERACTION[op.interaction];
    for (const wrong of Object.values(Scope).filter((s) => s !== right)) {
      test(`${name} with scope ${wrong} → 400`, () => refused(run(request(op, { claims: (c) => (c.requested_scope = wrong) })), 400));
    }
    test(`${name} with an unknown scope → 400`, () => refused(run(request(op, { claims: (c) => (c.requested_scope = 'patient/*.*') })), 400));
    test(`${name} with badScope → 400 even when not authorising by scope`, () =>
      refused(run(request(op, { claims: (c) => (c.requested_scope = 'badScope') }), { authoriseByScope: false }), 400));
    const other = Object.values(Scope).find((s) => s !== right)!;
    test(`${name} with scope ${other} is accepted when not authorising by scope (a MAY)`, () =>
      passed(run(request(op, { claims: (c) => (c.requested_scope = other) }), { authoriseByScope: false }), op.interaction));
  }
  test('the scopes the test expects are the spec table (the fixture can fail)', () => {
    assert.equal(SCOPE_FOR_INTERACTION[Interaction.readMetadata], Scope.organizationRead);
    assert.equal(SCOPE_FOR_INTERACTION[Interaction.registerPatient], Scope.patientWrite);
    assert.equal(SCOPE_FOR_INTERACTION[Interaction.searchSlot], Scope.organizationRead);
  });
});

describe('guard: FHIR resource claims (§4: 422 unparseable, 400 wrong type)', () => {
  for (const claim of ['requesting_device', 'requesting_organization', 'requesting_practitioner']) {
    test(`${claim} with unknown resourceType → 422 INVALID_RESOURCE`, () =>
      refused(run(request(OPS.findPatient, { claims: (c) => ((c[claim] as Record<string, unknown>).resourceType = 'InvalidResourceType') })), 422, SpineError.invalidResource));
    test(`${claim} not an object → 422`, () => refused(run(request(OPS.findPatient, { claims: (c) => (c[claim] = 'Device/1') })), 422, SpineError.invalidResource));
    test(`${claim} without resourceType → 422`, () => refused(run(request(OPS.findPatient, { claims: (c) => delete (c[claim] as Record<string, unknown>).resourceType })), 422, SpineError.invalidResource));
  }
  test('requesting_device with an identifier that is not an array (invalid Device) → 422', () =>
    refused(run(request(OPS.findPatient, { claims: (c) => ((c.requesting_device as Record<string, unknown>).identifier = 'CONS-APP-4') })), 422, SpineError.invalidResource));
  test('Patient as requesting_device → 400', () =>
    refused(run(request(OPS.findPatient, { claims: (c) => (c.requesting_device = { resourceType: 'Patient', identifier: [{ system: System.nhsNumber, value: '9658218865' }] }) })), 400));
  test('Device as requesting_practitioner → 400', () =>
    refused(run(request(OPS.findPatient, { claims: (c) => (c.requesting_practitioner = c.requesting_device) })), 400));
  test('Practitioner as requesting_organization → 400', () =>
    refused(run(request(OPS.findPatient, { claims: (c) => (c.requesting_organization = c.requesting_practitioner) })), 400));
});

describe('guard: content negotiation (§2.7)', () => {
  const withAccept = (accept: string | undefined, op: Op = OPS.metadata, path?: string) =>
    request(op, {
      path,
      headers: (h) => {
        if (accept === undefined) delete h[Header.accept];
        else h[Header.accept] = accept;
      },
    });
  test('Accept application/fhir+xml → 415', () => refused(run(withAccept(MediaType.fhirXml)), 415));
  test('Accept application/fhir+json;charset=utf-8 → JSON', () => passed(run(withAccept(MediaType.fhirJsonUtf8)), Interaction.readMetadata));
  test('Accept text/html → 415', () => refused(run(withAccept('text/html')), 415));
  test('Accept application/fhir+json;charset=iso-8859-1 → 415', () => refused(run(withAccept('application/fhir+json;charset=iso-8859-1')), 415));
  test('_format=json overriding Accept xml → OK', () => passed(run(withAccept(MediaType.fhirXml, OPS.metadata, '/metadata?_format=json')), Interaction.readMetadata));
  test('_format=application/fhir+json overriding Accept xml → OK', () =>
    passed(run(withAccept(MediaType.fhirXml, OPS.metadata, `/metadata?_format=${encodeURIComponent(MediaType.fhirJson)}`)), Interaction.readMetadata));
  test('_format=xml overriding Accept json → 415', () => refused(run(withAccept(MediaType.fhirJson, OPS.metadata, '/metadata?_format=xml')), 415));
  test('_format=application/fhir+xml → 415', () => refused(run(withAccept(undefined, OPS.metadata, `/metadata?_format=${encodeURIComponent(MediaType.fhirXml)}`)), 415));
  test('_format=text/plain → 415', () => refused(run(withAccept(undefined, OPS.metadata, '/metadata?_format=text%2Fplain')), 415));
  test('no Accept, no _format, no Content-Type → JSON', () => passed(run(withAccept(undefined)), Interaction.readMetadata));
  test('no Accept: Content-Type decides (xml → 415)', () =>
    refused(
      run(
        request(OPS.findPatient, {
          headers: (h) => {
            delete h[Header.accept];
            h[Header.contentType] = MediaType.fhirXml;
          },
        }),
      ),
      415,
    ));
  test('POST without Content-Type → 415', () => refused(run(request(OPS.register, { headers: (h) => delete h[Header.contentType] })), 415));
  test('POST with Content-Type text/plain → 415', () => refused(run(request(OPS.register, { headers: (h) => (h[Header.contentType] = 'text/plain') })), 415));
  test('POST with Content-Type application/fhir+xml → 415', () => refused(run(request(OPS.book, { headers: (h) => (h[Header.contentType] = MediaType.fhirXml) })), 415));
  test('POST with Content-Type application/fhir+json (no charset) → OK', () =>
    passed(run(request(OPS.book, { headers: (h) => (h[Header.contentType] = MediaType.fhirJson) })), Interaction.createAppointment));
});

describe('withStandardHeaders', () => {
  test('sets Cache-Control no-store and the FHIR JSON content type on a body', async () => {
    const out = withStandardHeaders(new Response('{"resourceType":"Bundle"}', { status: 201, headers: { [Header.contentType]: 'application/json', [Header.location]: 'x' } }));
    assert.equal(out.status, 201);
    assert.equal(out.headers.get(Header.cacheControl), 'no-store');
    assert.equal(out.headers.get(Header.contentType), MediaType.fhirJsonUtf8);
    assert.equal(out.headers.get(Header.location), 'x');
    assert.equal(await out.text(), '{"resourceType":"Bundle"}');
  });
  test('a guard refusal gets the headers too', () => {
    const out = withStandardHeaders(run(request(OPS.metadata, { headers: (h) => delete h[Header.sspFrom] })) as Response);
    assert.equal(out.status, 400);
    assert.equal(out.headers.get(Header.cacheControl), 'no-store');
    assert.equal(out.headers.get(Header.contentType), MediaType.fhirJsonUtf8);
  });
});
