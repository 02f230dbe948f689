/**
 * The least a Cucumber run can be: one step that does nothing, no world, no hooks. What bare
 * Cucumber running it costs is Node and Cucumber starting, the baseline of a one-scenario re-run.
 */
import { Given } from '@cucumber/cucumber';

Given('nothing happens', function () {});
