/**
 * Cucumber matches every step against every step definition (once per definition to find the one
 * that matches, again to read its arguments), through `@cucumber/cucumber-expressions`, which asks
 * the `regexp-match-indices` polyfill for each argument's position. The polyfill's test for native
 * support runs a regular expression without the `d` flag, which never has indices, so it always
 * takes its own path: for every match it builds a measuring regular expression from a parsed tree
 * and runs it again (profiled: most of Cucumber's step matching, and 7 % of a provider run's CPU).
 *
 * Node has had match indices natively since 16 (ES2022's `d` flag). Loaded before Cucumber, this
 * module puts in the polyfill's place the same function on the native feature: the same regular
 * expression with `d` added, kept per expression. The indices are the standard's; the polyfill's
 * lazy mode computes the same (test/unit/native-match-indices.test.ts compares them over every step
 * of the features against every step definition).
 *
 * Imported first by the modules that load Cucumber (`cucumber.ts`, `part-runner.ts`); a part's
 * Cucumber workers get it through the part's `--require` (`NATIVE_MATCH_INDICES`). Where Cucumber
 * was loaded first the polyfill stays: slower, and the same.
 */
import Module from 'node:module';
import path from 'node:path';

/** This module, for a `--require` that loads it into a process before Cucumber. */
export const NATIVE_MATCH_INDICES = __filename;

const withIndicesOf = new WeakMap<RegExp, RegExp>();

/** `regexp.exec(text)` with `indices`, as the polyfill's exported function is called. */
export function execWithIndices(regexp: RegExp, text: string): RegExpExecArray | null {
  let native = withIndicesOf.get(regexp);
  if (native === undefined) {
    native = regexp.hasIndices ? regexp : new RegExp(regexp.source, `${regexp.flags}d`);
    withIndicesOf.set(regexp, native);
  }
  native.lastIndex = regexp.lastIndex;
  const match = native.exec(text);
  regexp.lastIndex = native.lastIndex;
  return match;
}

/** The file Cucumber's expressions load as `regexp-match-indices`, or undefined where there is none. */
export function polyfillPath(): string | undefined {
  try {
    const expressions = require.resolve('@cucumber/cucumber-expressions');
    return require.resolve('regexp-match-indices', { paths: [path.dirname(expressions)] });
  } catch {
    return undefined;
  }
}

/**
 * Puts `execWithIndices` where the polyfill would load. True when it is in place (now or before);
 * false when the polyfill was loaded first (Cucumber already loaded) or cannot be found.
 */
export function installNativeMatchIndices(): boolean {
  const id = polyfillPath();
  if (id === undefined) return false;
  const loaded = require.cache[id];
  if (loaded !== undefined) return loaded.exports === execWithIndices;
  const module = new Module(id);
  module.filename = id;
  module.loaded = true;
  module.exports = execWithIndices;
  require.cache[id] = module;
  return true;
}

installNativeMatchIndices();
