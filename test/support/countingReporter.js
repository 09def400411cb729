// Mocha reporter: the usual spec output, plus a counts file that scripts/runTests.mjs sums across suites.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const Mocha = require('mocha');

class CountingReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    const suite = (options.reporterOptions && options.reporterOptions.suite) || process.env.SHIPSHAPE_SUITE || 'unit';
    const failures = [];
    runner.on('fail', (test, err) => failures.push({ title: test.fullTitle(), error: String(err && err.message) }));
    runner.once('end', () => {
      const dir = path.resolve(process.env.SHIPSHAPE_RESULTS_DIR || 'test-results');
      fs.mkdirSync(dir, { recursive: true });
      const stats = this.stats;
      fs.writeFileSync(path.join(dir, `${suite}.json`), JSON.stringify({ suite, passed: stats.passes, failed: stats.failures, pending: stats.pending, failures }, null, 2));
    });
  }
}
module.exports = CountingReporter;
