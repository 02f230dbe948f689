import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { test } from 'node:test';
import {
  REDACTED,
  REDACTED_PRIVATE_KEY,
  looksSecret,
  redactPrivateKeys,
  redactProfile,
  redactText,
  secretEnvNamesIn,
  secretsFromEnvironment,
} from '../../src/evidence/redact';

// Synthetic keys, made here: nothing real ever goes into a test.
const rsaPem = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs1', format: 'pem' }) as string;
const pkcs8Pem = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
const encryptedPem = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({
  type: 'pkcs8',
  format: 'pem',
  cipher: 'aes-256-cbc',
  passphrase: 'synthetic-pass',
}) as string;
const certPem = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUSyntheticCertificateBody\n-----END CERTIFICATE-----\n';
const keyBody = (pem: string) => pem.split('\n')[1];

function providerProfile() {
  return {
    role: 'provider',
    name: 'Example provider',
    baseUrl: 'https://127.0.0.1:{port}/A20047/STU3/1/gpconnect',
    asid: '918999198993',
    ods: 'A20047',
    via: 'ssp',
    start: {
      command: 'java -jar provider.jar --port {port}',
      env: {
        PROVIDER_PORT: '{port}',
        PROVIDER_API_KEY: 'sk-synthetic-0123456789',
        DB_PASSWORD: 'hunter2-synthetic',
        SPINE_ACCESS_TOKEN: 'tok-synthetic-abcdef',
        JAVA_OPTS: '-Xmx256m',
      },
      ready: { logLine: 'Started', timeoutSeconds: 60 },
    },
    testData: { registeredPatient: '9693632109', registrablePatient: '9651258500' },
    tls: { ca: 'certs/ca.pem', cert: certPem, key: rsaPem, passphraseEnv: 'GPC_TLS_PASSPHRASE' },
  };
}

function consumerProfile() {
  return {
    role: 'consumer',
    name: 'Example consumer',
    identity: { asid: '200000000359', ods: 'UCC01' },
    start: {
      command: './consumer --port {port}',
      env: { CONSUMER_SDS_URL: '{sdsUrl}', 'x-api-key': 'sds-synthetic-key-42', SESSION_COOKIE_SECRET: 'cookie-synthetic-99' },
      files: [
        { path: 'config.json', content: '{"ssp": "{sspUrl}"}' },
        { path: 'client.pem', content: `${certPem}${pkcs8Pem}` },
      ],
    },
    driver: {
      kind: 'http',
      url: 'http://127.0.0.1:{port}/book',
      headers: { Authorization: 'Bearer synthetic.jwt.value', 'Proxy-Authorization': 'Basic c3ludGhldGlj', Cookie: 'sid=synthetic-session', Accept: 'application/json', apikey: 'driver-synthetic-key' },
      outcome: { bookedPath: 'outcome', bookedValue: 'booked' },
    },
    mutualTls: true,
  };
}

test('names that look secret, and names that do not', () => {
  for (const name of ['password', 'DB_PASSWORD', 'passphrase', 'clientSecret', 'SPINE_TOKEN', 'apiKey', 'api_key', 'X-Api-Key', 'apikey', 'privateKey', 'private_key', 'credentials', 'Authorization', 'Set-Cookie']) {
    assert.ok(looksSecret(name), name);
  }
  for (const name of ['key', 'cert', 'ca', 'baseUrl', 'asid', 'command', 'GPC_CONSUMER_ODS', 'Accept', 'kind']) {
    assert.ok(!looksSecret(name), name);
  }
});

test('a provider profile: inline TLS private key, secret start.env values redacted; file paths, passphraseEnv and the rest kept', () => {
  const original = providerProfile();
  const before = JSON.stringify(original);
  const out = redactProfile(original) as ReturnType<typeof providerProfile>;
  assert.equal(JSON.stringify(original), before, 'the input is not touched');
  assert.notEqual(out, original);
  assert.notEqual(out.tls, original.tls);

  assert.equal(out.tls.key, `${REDACTED_PRIVATE_KEY}\n`, 'the block goes, the newline after it stays');
  assert.equal(out.tls.cert, certPem, 'a certificate is public');
  assert.equal(out.tls.ca, 'certs/ca.pem');
  assert.equal(out.tls.passphraseEnv, 'GPC_TLS_PASSPHRASE', 'an Env key that only names a variable survives');
  assert.deepEqual(out.start.env, {
    PROVIDER_PORT: '{port}',
    PROVIDER_API_KEY: REDACTED,
    DB_PASSWORD: REDACTED,
    SPINE_ACCESS_TOKEN: REDACTED,
    JAVA_OPTS: '-Xmx256m',
  });
  assert.deepEqual(out.testData, original.testData);
  assert.equal(out.baseUrl, original.baseUrl);
  assert.equal(out.start.command, original.start.command);

  const text = JSON.stringify(out);
  for (const secret of ['sk-synthetic-0123456789', 'hunter2-synthetic', 'tok-synthetic-abcdef', keyBody(rsaPem)]) assert.ok(!text.includes(secret), secret);
});

test('a consumer profile: driver headers and env secrets redacted, a private key inside a start file cut out of the text', () => {
  const out = redactProfile(consumerProfile()) as ReturnType<typeof consumerProfile>;
  assert.deepEqual(out.driver.headers, {
    Authorization: REDACTED,
    'Proxy-Authorization': REDACTED,
    Cookie: REDACTED,
    Accept: 'application/json',
    apikey: REDACTED,
  });
  assert.deepEqual(out.start.env, { CONSUMER_SDS_URL: '{sdsUrl}', 'x-api-key': REDACTED, SESSION_COOKIE_SECRET: REDACTED });
  assert.equal(out.start.files[0].content, '{"ssp": "{sspUrl}"}');
  assert.equal(out.start.files[1].content, `${certPem}${REDACTED_PRIVATE_KEY}\n`, 'only the key block goes; the certificate stays');
  assert.deepEqual(out.identity, { asid: '200000000359', ods: 'UCC01' });
  assert.equal(out.mutualTls, true);
  const text = JSON.stringify(out);
  for (const secret of ['synthetic.jwt.value', 'c3ludGhldGlj', 'synthetic-session', 'driver-synthetic-key', 'sds-synthetic-key-42', 'cookie-synthetic-99', keyBody(pkcs8Pem)]) {
    assert.ok(!text.includes(secret), secret);
  }
});

test('Env and File keys survive only when their values are a variable name or a path', () => {
  const out = redactProfile({
    tls: { passphraseEnv: 'GPC_TLS_PASSPHRASE', privateKeyFile: 'certs/client.key', tokenFile: '/etc/gpc/token' },
    pasted: { passphraseEnv: 'correct horse battery staple', privateKeyFile: rsaPem, apiKeyEnv: 42 },
    nested: { credentials: { user: 'u', password: 'p' }, tokens: ['a-token-value', 'another'] },
  });
  assert.deepEqual(out, {
    tls: { passphraseEnv: 'GPC_TLS_PASSPHRASE', privateKeyFile: 'certs/client.key', tokenFile: '/etc/gpc/token' },
    pasted: { passphraseEnv: REDACTED, privateKeyFile: REDACTED, apiKeyEnv: REDACTED },
    nested: { credentials: REDACTED, tokens: REDACTED },
  });
});

test('scalars, nulls and arrays are copied as they are', () => {
  assert.equal(redactProfile('plain'), 'plain');
  assert.equal(redactProfile(null), null);
  assert.equal(redactProfile(3), 3);
  assert.deepEqual(redactProfile([1, 'two', { password: 'x', ok: true }]), [1, 'two', { password: REDACTED, ok: true }]);
});

test('every kind of PEM private key block is replaced, an unterminated one up to the end', () => {
  const openssh = '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\n-----END OPENSSH PRIVATE KEY-----';
  for (const pem of [rsaPem, pkcs8Pem, encryptedPem, openssh]) {
    assert.match(pem, /-----BEGIN [A-Z ]*PRIVATE KEY-----/);
    const out = redactPrivateKeys(`before\n${pem}\nafter`);
    assert.ok(out.startsWith('before\n[redacted private key]'), out);
    assert.ok(out.endsWith('after'), out);
  }
  assert.ok(encryptedPem.includes('ENCRYPTED PRIVATE KEY'));
  const twoKeys = redactPrivateKeys(`${rsaPem}middle\n${pkcs8Pem}`);
  assert.equal(twoKeys, `${REDACTED_PRIVATE_KEY}\nmiddle\n${REDACTED_PRIVATE_KEY}\n`);
  const cut = rsaPem.slice(0, 200);
  assert.equal(redactPrivateKeys(`key: ${cut}`), `key: ${REDACTED_PRIVATE_KEY}`);
  assert.equal(redactPrivateKeys(certPem), certPem);
});

test('redactText replaces each secret of 4 characters or more, longest first', () => {
  assert.equal(redactText('user=alice pass=hunter2 again hunter2', ['hunter2']), 'user=alice pass=[redacted] again [redacted]');
  assert.equal(redactText('abc and ab and empty', ['', 'ab', 'abc']), 'abc and ab and empty', 'short and empty values are ignored');
  assert.equal(redactText('token=abcd1234efgh', ['abcd', 'abcd1234efgh']), 'token=[redacted]');
  assert.equal(redactText('a.b+c*(d) x', ['.b+c*(d)']), 'a[redacted] x', 'secrets are literal text, not patterns');
  assert.equal(redactText('nothing here', []), 'nothing here');
});

test('secretsFromEnvironment: values of secret-looking variables plus the named ones', () => {
  const env = {
    PATH: '/usr/bin',
    HOME: '/root',
    GPC_TLS_PASSPHRASE: 'pass-synthetic-1',
    SUPPLIER_API_KEY: 'key-synthetic-2',
    GITHUB_TOKEN: 'tok-synthetic-3',
    EMPTY_SECRET: '',
    CUSTOM_PIN: 'pin-synthetic-4',
    ALSO_SECRET_COPY: 'key-synthetic-2',
  };
  assert.deepEqual(secretsFromEnvironment(env).sort(), ['key-synthetic-2', 'pass-synthetic-1', 'tok-synthetic-3']);
  assert.deepEqual(secretsFromEnvironment(env, ['CUSTOM_PIN', 'NOT_SET']).sort(), ['key-synthetic-2', 'pass-synthetic-1', 'pin-synthetic-4', 'tok-synthetic-3']);
  assert.ok(Array.isArray(secretsFromEnvironment()), 'defaults to process.env');
});

test('secretEnvNamesIn finds the variables a profile names for its secrets', () => {
  assert.deepEqual(secretEnvNamesIn(providerProfile()), ['GPC_TLS_PASSPHRASE']);
  assert.deepEqual(secretEnvNamesIn({ a: [{ tokenEnv: 'A_TOKEN' }], b: { passphraseEnv: 'not a name' } }), ['A_TOKEN']);
});

test('a hook API key: headersFromEnv names its variable, kept as a name in the profile, and its value is a secret', () => {
  const profile = { driver: { kind: 'http', headersFromEnv: { 'X-Api-Key': 'HOOK_API_KEY', Authorization: 'a pasted value, not a name' } } };
  assert.deepEqual(secretEnvNamesIn(profile), ['HOOK_API_KEY']);
  assert.deepEqual(redactProfile(profile), { driver: { kind: 'http', headersFromEnv: { 'X-Api-Key': 'HOOK_API_KEY', Authorization: REDACTED } } });
});
