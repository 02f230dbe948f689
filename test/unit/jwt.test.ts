import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeJwt, encodeUnsecuredJwt } from '../../src/gpconnect/jwt';

test('an unsecured GP Connect token decodes with no problems and ends in a dot', () => {
  const token = encodeUnsecuredJwt({ sub: '1', iat: 1, exp: 301 });
  assert.ok(token.endsWith('.'));
  const d = decodeJwt(token);
  assert.deepEqual(d.problems, []);
  assert.deepEqual(d.header, { alg: 'none', typ: 'JWT' });
  assert.equal(d.payload?.exp, 301);
  assert.equal(d.signature, '');
});

test('malformed tokens are described', () => {
  assert.match(decodeJwt('a.b').problems[0], /3 dot-separated parts, this one has 2/);
  assert.match(decodeJwt('eyJhbGciOiJub25lIn0=.e30.').problems[0], /not base64url without padding/);
  assert.match(decodeJwt('bm90LWpzb24.e30.').problems[0], /header is not JSON/);
  assert.match(decodeJwt('W10.e30.').problems[0], /header is not a JSON object/);
  assert.match(decodeJwt('.e30.').problems[0], /header is empty/);
});
