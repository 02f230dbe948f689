const t0 = process.hrtime.bigint(); const c0 = process.cpuUsage();
const { loadSupport, loadConfiguration } = require('@cucumber/cucumber/api');
(async () => {
  const t1 = process.hrtime.bigint();
  const { runConfiguration } = await loadConfiguration({ provided: { require: ['dist/support/**/*.js', 'dist/steps/**/*.js'], paths: [] } });
  await loadSupport(runConfiguration);
  const t2 = process.hrtime.bigint(); const c = process.cpuUsage(c0);
  console.log(`cucumber api ${Number(t1 - t0) / 1e6 | 0} ms, support ${Number(t2 - t1) / 1e6 | 0} ms, cpu ${((c.user + c.system) / 1000) | 0} ms`);
})();
