import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { scratchFolder } from '../support/scratch';
import { after, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { parse as parseYaml } from 'yaml';
import { featuresHash, harnessIdentity, writeEvidencePack, type EvidenceManifest } from '../../src/pipeline/reports/evidence-pack';
import { secretEnvNamesIn, secretsFromEnvironment } from '../../src/evidence/redact';
import { tarBuffer, writeTarGz, type TarEntry } from '../../src/pipeline/reports/tar';
import { PACKAGE_ROOT } from '../../src/package-root';

const { root: scratch, fresh: freshDir } = scratchFolder('gpc-evidence-');

const fixedTime = new Date('2026-03-01T09:30:00Z');
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

function extract(archive: string): string {
  const out = freshDir('extract');
  execFileSync('tar', ['-xzf', archive, '-C', out], { stdio: ['ignore', 'pipe', 'pipe'] });
  return out;
}

function filesUnder(dir: string, rel = ''): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const child = rel ? `${rel}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...filesUnder(dir, child));
    else out.push(child);
  }
  return out.sort();
}

// ---------- tar ----------

const longPath = `reports/allure-report/data/attachments/${'scenario-with-a-rather-long-name/'.repeat(3)}${'x'.repeat(60)}.txt`;
const maxPath = `${'p'.repeat(155)}/${'n'.repeat(100)}`;

function sampleEntries(): TarEntry[] {
  return [
    { name: 'hello.txt', content: 'hello, world\n', mtime: fixedTime },
    { name: 'empty.txt', content: '', mtime: fixedTime },
    { name: 'exactly-512.bin', content: Buffer.alloc(512, 7), mtime: fixedTime },
    { name: 'random.bin', content: randomBytes(70_001), mtime: fixedTime },
    { name: 'nested/deeper/script.sh', content: '#!/bin/sh\necho hi\n', mode: 0o755, mtime: fixedTime },
    { name: 'unicode/café-ñ.txt', content: 'naïve façade\n', mtime: fixedTime },
    { name: `${'a'.repeat(100)}`, content: 'name exactly 100 bytes', mtime: fixedTime },
    { name: longPath, content: 'long path', mtime: fixedTime },
    { name: maxPath, content: 'the longest path ustar stores', mtime: fixedTime },
  ];
}

test('tar: every entry round-trips byte for byte through the system tar, long paths included', () => {
  assert.ok(longPath.length > 100 && longPath.length <= 255, `long path is ${longPath.length}`);
  assert.equal(maxPath.length, 256, 'ustar holds 155 + / + 100 bytes');
  const entries = sampleEntries();
  const archive = path.join(freshDir('tar'), 'out', 'sample.tar.gz');
  writeTarGz(archive, entries);
  const out = extract(archive);
  assert.deepEqual(filesUnder(out), entries.map((e) => e.name).sort());
  for (const e of entries) {
    const want = typeof e.content === 'string' ? Buffer.from(e.content) : e.content;
    assert.ok(readFileSync(path.join(out, e.name)).equals(want), e.name);
  }
  assert.equal(statSync(path.join(out, 'nested/deeper/script.sh')).mode & 0o777, 0o755);
  assert.equal(statSync(path.join(out, 'hello.txt')).mode & 0o777, 0o644);
  assert.equal(statSync(path.join(out, 'hello.txt')).mtime.getTime(), fixedTime.getTime());
  // GNU tar lists it without a warning (a bad checksum or header would be reported on stderr).
  const listing = execFileSync('tar', ['-tvzf', archive], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  assert.match(listing, /-rwxr-xr-x .* nested\/deeper\/script\.sh/);
  assert.equal(listing.trim().split('\n').length, entries.length);
});

test('tar: the ustar headers are well formed (magic, checksum, name/prefix split)', () => {
  const raw = tarBuffer([{ name: longPath, content: 'x', mtime: fixedTime }]);
  assert.equal(raw.length, 512 * 4, 'header, one content block, two zero blocks');
  const h = raw.subarray(0, 512);
  assert.equal(h.subarray(257, 263).toString('latin1'), 'ustar\0');
  assert.equal(h.subarray(263, 265).toString('latin1'), '00');
  const stored = parseInt(h.subarray(148, 154).toString('latin1'), 8);
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 0x20 : h[i];
  assert.equal(stored, sum);
  const cstr = (b: Buffer) => b.subarray(0, b.indexOf(0) < 0 ? b.length : b.indexOf(0)).toString('utf8');
  const name = cstr(h.subarray(0, 100));
  const prefix = cstr(h.subarray(345, 500));
  assert.equal(`${prefix}/${name}`, longPath);
  assert.ok(name.length <= 100 && prefix.length <= 155);
  assert.ok(raw.subarray(1024).equals(Buffer.alloc(1024)));
});

test('tar: bad paths are refused with a message naming the entry and the reason', () => {
  const cases: Array<[string, RegExp]> = [
    ['/etc/passwd', /tar entry "\/etc\/passwd": the path is absolute/],
    ['C:/temp/x', /tar entry "C:\/temp\/x": the path is absolute/],
    ['../escape.txt', /tar entry "\.\.\/escape\.txt": the path contains "\.\."/],
    ['reports/../../escape.txt', /the path contains "\.\."/],
    ['reports\\summary.json', /backslash/],
    ['reports//summary.json', /empty or "\." segment/],
    ['./summary.json', /empty or "\." segment/],
    ['reports/', /empty or "\." segment/],
    ['nul\0byte', /NUL/],
    [`${'d'.repeat(150)}/${'f'.repeat(110)}`, /is 261 bytes long; ustar stores at most 256/],
    [`${'f'.repeat(101)}`, /cannot be stored in ustar: it needs a \/ that leaves at most 155 bytes before it and at most 100 after it/],
    [`${'d'.repeat(160)}/${'f'.repeat(20)}`, /cannot be stored in ustar/],
  ];
  const dir = freshDir('bad');
  for (const [name, message] of cases) {
    const archive = path.join(dir, 'bad.tar.gz');
    assert.throws(() => writeTarGz(archive, [{ name: 'fine.txt', content: 'ok' }, { name, content: 'x' }]), message, JSON.stringify(name));
    assert.throws(() => readFileSync(archive), /ENOENT/, 'no archive is left behind');
  }
  assert.throws(() => tarBuffer([{ name: '', content: '' }]), /empty name/);
  assert.throws(() => tarBuffer([{ name: 'a.txt', content: '' }, { name: 'a.txt', content: '' }]), /tar entry "a\.txt": the archive already has an entry with this name/);
  assert.throws(() => tarBuffer([{ name: 'a.txt', content: '', mode: 0o10000 }]), /tar entry "a\.txt": mode/);
  assert.throws(() => tarBuffer([{ name: 'a.txt', content: '', mtime: new Date('1960-01-01') }]), /tar entry "a\.txt": mtime/);
});

test('tar: the same entries with the same mtime give the same bytes; another mtime does not', () => {
  const dir = freshDir('det');
  const entries = sampleEntries();
  writeTarGz(path.join(dir, 'a.tar.gz'), entries);
  writeTarGz(path.join(dir, 'b.tar.gz'), entries.map((e) => ({ ...e })));
  const a = readFileSync(path.join(dir, 'a.tar.gz'));
  assert.ok(a.equals(readFileSync(path.join(dir, 'b.tar.gz'))));
  assert.ok(gunzipSync(a).equals(tarBuffer(entries)));
  writeTarGz(path.join(dir, 'c.tar.gz'), entries.map((e) => ({ ...e, mtime: new Date(fixedTime.getTime() + 1000) })));
  assert.ok(!a.equals(readFileSync(path.join(dir, 'c.tar.gz'))));
});

// ---------- evidence pack ----------

const rsaPem = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs1', format: 'pem' }) as string;
const pemBody = rsaPem.split('\n').slice(1, -2).join('\n');
const secrets = {
  apiKey: 'sk-synthetic-api-key-7f3a9c',
  authorization: 'Bearer eyJhbGciOiJub25lIn0.synthetic-header-token',
  dbPassword: 'synthetic-db-password-551',
  passphrase: 'synthetic-tls-passphrase-0042',
};

/** A small fake project root: package.json, two feature files, support/ and a finished run's reports. */
function fakeProject(): string {
  const root = freshDir('project');
  const write = (rel: string, content: string | Buffer) => {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), content);
  };
  write('package.json', JSON.stringify({ name: 'gpc-conform', version: '9.8.7' }));
  write('features/ssp/access.feature', 'Feature: SSP access\n  Scenario: a consumer calls through the SSP\n');
  write('features/booking.feature', 'Feature: Booking\n  Scenario: book a slot\n');
  write('features/README.md', 'not a feature');
  write('support/world.ts', 'export {};\n');
  write('reports/summary.json', JSON.stringify({ passed: 10, failed: 1 }));
  // The passphrase value also turns up in a log line: the pack's secrets option must cut it out.
  write('reports/junit.xml', `<testsuites><testsuite name="ssp"><system-out>TLS_PASSPHRASE=${secrets.passphrase}</system-out></testsuite></testsuites>\n`);
  write('reports/report-page.html', '<!doctype html><title>Allure</title>');
  write('reports/allure-report/index.html', '<!doctype html>');
  write('reports/allure-report/data/attachments/abc.png', randomBytes(3000));
  write(`reports/allure-report/data/${'long-folder-name-'.repeat(4)}/${'attachment-'.repeat(5)}.json`, '{"long": true}');
  write('reports/allure-report/bin/run.sh', '#!/bin/sh\n');
  chmodSync(path.join(root, 'reports/allure-report/bin/run.sh'), 0o755);
  write(
    'profiles/supplier-provider.yaml',
    [
      '# supplier provider profile (synthetic) -- old key was ' + secrets.dbPassword,
      'role: provider',
      'name: Supplier provider',
      'baseUrl: https://127.0.0.1:{port}/A20047/STU3/1/gpconnect',
      'asid: "918999198993"',
      'ods: A20047',
      'start:',
      '  command: ./provider --port {port}',
      '  env:',
      '    PROVIDER_PORT: "{port}"',
      `    PROVIDER_API_KEY: ${secrets.apiKey}`,
      `    DB_PASSWORD: ${secrets.dbPassword}`,
      'testData:',
      '  registeredPatient: "9693632109"',
      '  registrablePatient: "9651258500"',
      'tls:',
      '  ca: certs/ca.pem',
      '  passphraseEnv: SUPPLIER_TLS_PASSPHRASE',
      '  key: |',
      ...rsaPem.trimEnd().split('\n').map((l) => `    ${l}`),
      '',
    ].join('\n'),
  );
  write(
    'profiles/supplier-consumer.json',
    JSON.stringify({
      role: 'consumer',
      name: 'Supplier consumer',
      identity: { asid: '200000000359', ods: 'UCC01' },
      driver: { kind: 'http', url: 'http://127.0.0.1:{port}/book', headers: { Authorization: secrets.authorization, Accept: 'application/json' } },
    }),
  );
  return root;
}

function packOptions(root: string, archive: string) {
  return {
    archive,
    root,
    files: [
      { name: 'summary.json', path: 'reports/summary.json' },
      { name: 'junit.xml', path: path.join(root, 'reports/junit.xml') },
      { name: 'allure-report.html', path: 'reports/report-page.html' },
      { name: 'notes/run.txt', content: 'run notes\n' },
    ],
    directories: [{ name: 'allure-report', path: 'reports/allure-report' }],
    profiles: ['profiles/supplier-provider.yaml'],
    run: { role: 'provider', command: 'gpc-conform conformance --profile profiles/supplier-provider.yaml', outcomes: { passed: 10, failed: 1 } },
    secrets: secretsFromEnvironment({ SUPPLIER_TLS_PASSPHRASE: secrets.passphrase, PATH: '/usr/bin' }, ['SUPPLIER_TLS_PASSPHRASE']),
    createdAt: fixedTime,
  };
}

test('evidence pack: files, folders, redacted profile and a manifest whose hashes match the extracted files', () => {
  const root = fakeProject();
  const archiveRel = path.relative(process.cwd(), path.join(root, 'out/evidence.tar.gz'));
  const { archive, manifest } = writeEvidencePack(packOptions(root, archiveRel));
  assert.equal(archive, path.join(root, 'out/evidence.tar.gz'));
  const out = extract(archive);

  const expected = [
    'allure-report.html',
    'allure-report/bin/run.sh',
    'allure-report/data/attachments/abc.png',
    `allure-report/data/${'long-folder-name-'.repeat(4)}/${'attachment-'.repeat(5)}.json`,
    'allure-report/index.html',
    'junit.xml',
    'manifest.json',
    'notes/run.txt',
    'profile/supplier-provider.yaml',
    'summary.json',
  ];
  assert.deepEqual(filesUnder(out), expected.sort());
  assert.ok(expected.some((n) => n.length > 100), 'a path over 100 characters is in the pack');

  // Byte-for-byte copies of the inputs (junit.xml aside: a secret was cut out of it).
  assert.ok(readFileSync(path.join(out, 'summary.json')).equals(readFileSync(path.join(root, 'reports/summary.json'))));
  assert.ok(readFileSync(path.join(out, 'allure-report/data/attachments/abc.png')).equals(readFileSync(path.join(root, 'reports/allure-report/data/attachments/abc.png'))));
  assert.ok(readFileSync(path.join(out, 'allure-report.html')).equals(readFileSync(path.join(root, 'reports/report-page.html'))));
  assert.equal(readFileSync(path.join(out, 'notes/run.txt'), 'utf8'), 'run notes\n');
  assert.equal(readFileSync(path.join(out, 'junit.xml'), 'utf8'), '<testsuites><testsuite name="ssp"><system-out>TLS_PASSPHRASE=[redacted]</system-out></testsuite></testsuites>\n');
  assert.equal(statSync(path.join(out, 'allure-report/bin/run.sh')).mode & 0o111, 0o111, 'executables stay executable');

  const onDisk = JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8')) as EvidenceManifest;
  assert.deepEqual(onDisk, JSON.parse(JSON.stringify(manifest)));
  assert.equal(onDisk.harness.name, 'gpc-conform');
  assert.equal(onDisk.harness.version, '9.8.7');
  assert.equal(onDisk.harness.commit, 'unknown (not a git checkout)');
  assert.equal(onDisk.harness.dirty, null);
  assert.equal(onDisk.createdAt, fixedTime.toISOString());
  assert.equal(onDisk.node, process.version);
  assert.deepEqual(onDisk.profiles, ['profile/supplier-provider.yaml']);
  assert.equal(onDisk.featureFiles, 2);
  assert.equal(onDisk.featuresHash, featuresHash(root));
  assert.deepEqual(onDisk.run, packOptions(root, 'x').run);
  assert.deepEqual(onDisk.files.map((f) => f.name).sort(), expected.filter((n) => n !== 'manifest.json').sort());
  for (const f of onDisk.files) {
    const bytes = readFileSync(path.join(out, f.name));
    assert.equal(f.sha256, sha256(bytes), f.name);
    assert.equal(f.size, bytes.length, f.name);
  }
  assert.equal(statSync(path.join(out, 'summary.json')).mtime.getTime(), fixedTime.getTime());
});

test('evidence pack: no secret reaches the archive; passphraseEnv names and the rest of the profile survive', () => {
  const root = fakeProject();
  const { archive } = writeEvidencePack(packOptions(root, path.join(root, 'evidence.tar.gz')));
  const out = extract(archive);
  const everything = Buffer.concat(filesUnder(out).map((f) => readFileSync(path.join(out, f))));
  const gz = readFileSync(archive);
  for (const secret of [...Object.values(secrets), pemBody.split('\n')[0], pemBody.split('\n')[3], 'BEGIN RSA PRIVATE KEY']) {
    assert.equal(everything.indexOf(secret), -1, `"${secret.slice(0, 30)}" is in the extracted files`);
    assert.equal(gunzipSync(gz).indexOf(secret), -1, `"${secret.slice(0, 30)}" is in the tar stream`);
  }

  const profileText = readFileSync(path.join(out, 'profile/supplier-provider.yaml'), 'utf8');
  assert.ok(!profileText.includes('#'), 'comments are dropped');
  const profile = parseYaml(profileText) as Record<string, any>;
  assert.equal(profile.tls.passphraseEnv, 'SUPPLIER_TLS_PASSPHRASE');
  assert.equal(profile.tls.ca, 'certs/ca.pem');
  assert.equal(profile.tls.key, '[redacted private key]\n');
  assert.deepEqual(profile.start.env, { PROVIDER_PORT: '{port}', PROVIDER_API_KEY: '[redacted]', DB_PASSWORD: '[redacted]' });
  assert.equal(profile.asid, '918999198993', 'quoted numbers stay strings');
  assert.equal(profile.testData.registeredPatient, '9693632109');
  assert.deepEqual(secretEnvNamesIn(profile), ['SUPPLIER_TLS_PASSPHRASE']);
});

test('evidence pack: a JSON profile stays JSON, its driver Authorization header redacted', () => {
  const root = fakeProject();
  const { archive, manifest } = writeEvidencePack({ archive: path.join(root, 'c.tar.gz'), root, files: [], profiles: [path.join(root, 'profiles/supplier-consumer.json')], run: {} });
  const out = extract(archive);
  assert.deepEqual(filesUnder(out), ['manifest.json', 'profile/supplier-consumer.json']);
  const text = readFileSync(path.join(out, 'profile/supplier-consumer.json'), 'utf8');
  const profile = JSON.parse(text);
  assert.deepEqual(profile.driver.headers, { Authorization: '[redacted]', Accept: 'application/json' });
  assert.equal(profile.identity.asid, '200000000359');
  assert.ok(!text.includes(secrets.authorization));
  assert.deepEqual(manifest.profiles, ['profile/supplier-consumer.json']);
});

test('evidence pack: the same input and creation time give the same bytes', () => {
  const root = fakeProject();
  const a = writeEvidencePack(packOptions(root, path.join(root, 'a.tar.gz'))).archive;
  const b = writeEvidencePack(packOptions(root, path.join(root, 'b.tar.gz'))).archive;
  assert.ok(readFileSync(a).equals(readFileSync(b)));
});

test('evidence pack: missing inputs and clashing names give an error naming them', () => {
  const root = fakeProject();
  const archive = path.join(root, 'never.tar.gz');
  const base = { archive, root, run: {} };
  assert.throws(() => writeEvidencePack({ ...base, files: [{ name: 'summary.json', path: 'reports/nope.json' }] }), (e: Error) => {
    assert.match(e.message, /file "summary\.json"/);
    assert.ok(e.message.includes(path.join(root, 'reports/nope.json')), e.message);
    assert.match(e.message, /does not exist/);
    return true;
  });
  assert.throws(() => writeEvidencePack({ ...base, files: [{ name: 'x', path: 'reports' }] }), /is a folder, not a file/);
  assert.throws(() => writeEvidencePack({ ...base, files: [{ name: 'x' }] }), /file "x" has neither a path nor content/);
  assert.throws(() => writeEvidencePack({ ...base, files: [], directories: [{ name: 'allure-report', path: 'reports/missing-report' }] }), /folder "allure-report": .*reports\/missing-report does not exist/);
  assert.throws(() => writeEvidencePack({ ...base, files: [], profiles: ['profiles/gone.yaml'] }), /profile: .*profiles\/gone\.yaml does not exist/);
  assert.throws(() => writeEvidencePack({ ...base, files: [{ name: 'manifest.json', content: '{}' }] }), /two files would be packed as "manifest\.json"/);
  assert.throws(() => writeEvidencePack({ ...base, files: [{ name: '../up.txt', content: 'x' }] }), /tar entry "\.\.\/up\.txt": the path contains "\.\."/);
  assert.throws(() => writeEvidencePack({ ...base, root: freshDir('empty'), files: [] }), /package\.json|features/);
  assert.throws(() => readFileSync(archive), /ENOENT/);
});

test('featuresHash: path\\0content\\0 over sorted feature files; it changes when a feature changes, not when anything else does', () => {
  const root = fakeProject();
  const manual = createHash('sha256');
  for (const rel of ['features/booking.feature', 'features/ssp/access.feature']) {
    manual.update(`${rel}\0`);
    manual.update(readFileSync(path.join(root, rel)));
    manual.update('\0');
  }
  const first = featuresHash(root);
  assert.equal(first, manual.digest('hex'));
  assert.match(first, /^[0-9a-f]{64}$/);

  writeFileSync(path.join(root, 'features/README.md'), 'changed, but not a feature');
  writeFileSync(path.join(root, 'support/world.ts'), 'export const x = 1;\n');
  assert.equal(featuresHash(root), first);

  writeFileSync(path.join(root, 'features/booking.feature'), 'Feature: Booking\n  Scenario: book a slot \n');
  const second = featuresHash(root);
  assert.notEqual(second, first);

  mkdirSync(path.join(root, 'features/new'));
  writeFileSync(path.join(root, 'features/new/extra.feature'), 'Feature: extra\n');
  assert.notEqual(featuresHash(root), second);
  rmSync(path.join(root, 'features/new'), { recursive: true });
  assert.equal(featuresHash(root), second);

  // Moving content between files changes the hash even though the concatenated bytes are the same.
  const moved = fakeProject();
  writeFileSync(path.join(moved, 'features/booking.feature'), 'Feature: Booking\n  Scenario: book a slot\nFeature: SSP access\n  Scenario: a consumer calls through the SSP\n');
  writeFileSync(path.join(moved, 'features/ssp/access.feature'), '');
  assert.notEqual(featuresHash(moved), first);

  assert.throws(() => featuresHash(freshDir('nofeatures')), /features is not a folder/);
});

test('harnessIdentity: commit and dirty state from git; unknown outside a checkout', () => {
  const root = fakeProject();
  assert.deepEqual(harnessIdentity(root), { name: 'gpc-conform', version: '9.8.7', commit: 'unknown (not a git checkout)', dirty: null, changes: [] });

  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.invalid', '-c', 'commit.gpgsign=false', ...args], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  git('init', '-q');
  git('add', '-A');
  git('commit', '-q', '-m', 'synthetic');
  const head = git('rev-parse', 'HEAD').trim();
  assert.deepEqual(harnessIdentity(root), { name: 'gpc-conform', version: '9.8.7', commit: head, dirty: false, changes: [] });

  writeFileSync(path.join(root, 'reports/summary.json'), '{"changed": true}');
  assert.equal(harnessIdentity(root).dirty, false, 'changes outside features/, support/, steps/ do not count');

  writeFileSync(path.join(root, 'features/booking.feature'), 'Feature: changed\n');
  mkdirSync(path.join(root, 'steps'));
  writeFileSync(path.join(root, 'steps/new.ts'), 'export {};\n');
  const dirty = harnessIdentity(root);
  assert.equal(dirty.commit, head);
  assert.equal(dirty.dirty, true);
  assert.deepEqual(dirty.changes, [' M features/booking.feature', '?? steps/new.ts']);

  const { manifest } = writeEvidencePack({ archive: path.join(freshDir('git'), 'git.tar.gz'), root, files: [], run: {} });
  assert.equal(manifest.harness.commit, head);
  assert.equal(manifest.harness.dirty, true);
});

test('harnessIdentity and featuresHash on this project', () => {
  const root = PACKAGE_ROOT;
  const identity = harnessIdentity(root);
  assert.equal(identity.name, 'gpc-conform');
  assert.match(identity.commit, /^([0-9a-f]{40}|unknown \(not a git checkout\))$/);
  assert.match(featuresHash(root), /^[0-9a-f]{64}$/);
});
