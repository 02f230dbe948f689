/**
 * The bare baseline's support code: plain Cucumber with a Spine in a box (SDS, SSP and the built-in
 * reference provider, as the harness starts it for the reference provider profile) started in
 * BeforeAll, and a world holding the last answer. None of the harness's hooks, journal handling,
 * evidence or validation: what the harness adds is what the bench measures.
 */
import { AfterAll, BeforeAll, setWorldConstructor, World } from '@cucumber/cucumber';
import { SpineInABox } from '../../src/spine/spine';

export let spine: SpineInABox;

BeforeAll(async function () {
  spine = await SpineInABox.start({ mode: 'sockets', referenceProvider: {}, sspTimeoutMs: 10_000 });
});

AfterAll(async function () {
  await spine?.stop();
});

export class BareWorld extends World {
  status = 0;
  headers?: Headers;
  body: any;
  window?: { start: string; end: string };
}

setWorldConstructor(BareWorld);
