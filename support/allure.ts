// Loads the Allure runtime as support code, so allure.* calls in steps reach the report
// (toolchain.md pitfall 1). Harmless when the Allure formatter is not in use.
import 'allure-cucumberjs';
