import path from 'node:path';
import { PACKAGE_ROOT } from '../../package-root';

/**
 * Where allure-commandline is installed: wherever npm put the package (beside the harness when the
 * harness is itself installed as a dependency), else the checkout's node_modules.
 */
export const ALLURE_HOME = ((): string => {
  try {
    return path.dirname(require.resolve('allure-commandline/package.json'));
  } catch {
    return path.join(PACKAGE_ROOT, 'node_modules', 'allure-commandline');
  }
})();
