// Managed by copier-interactive-docs: `copier update` rewrites this file.
// Runs pytest under Pyodide in Node.js; run.py prepares the wheels and calls it as
//   node run.mjs PROJECT_DIR WHEEL_DIR PROJECT_WHEEL [PYTEST_ARGS...]
// WHEEL_DIR holds the project's wheel (PROJECT_WHEEL, a file name), micropip, and pytest with
// all its dependencies: so nothing but the project's own dependencies is fetched.
import { readdirSync } from "node:fs";
import path from "node:path";
import { loadPyodide } from "pyodide";

const [projectDir, wheelDir, projectWheel, ...pytestArgs] = process.argv.slice(2);
const wheels = readdirSync(wheelDir).filter((name) => name.endsWith(".whl"));
const micropip = wheels.find((name) => name.startsWith("micropip-"));
const testWheels = wheels.filter((name) => name !== micropip && name !== projectWheel);

const pyodide = await loadPyodide();
// micropip from its PyPI wheel; from Pyodide's own packages it would come from the CDN.
await pyodide.loadPackage(path.resolve(wheelDir, micropip));
if (!pyodide.loadedPackages.micropip) {
  // loadPackage reports a failure on the console but does not throw.
  throw new Error(`could not load micropip from ${wheelDir}`);
}
pyodide.mountNodeFS("/project", path.resolve(projectDir));
pyodide.mountNodeFS("/wheels", path.resolve(wheelDir));
pyodide.globals.set("test_wheels", testWheels);
pyodide.globals.set("project_wheel", projectWheel);
pyodide.globals.set("pytest_args", pytestArgs);

const code = await pyodide.runPythonAsync(`
import os, sys
import micropip

await micropip.install([f"emfs:/wheels/{name}" for name in test_wheels], deps=False)
# The project's own dependencies resolve as in the reader's browser: Pyodide's packages, then PyPI.
await micropip.install(f"emfs:/wheels/{project_wheel}")

import pytest

os.chdir("/project")  # the project's pytest settings apply
sys.dont_write_bytecode = True  # leave no Pyodide-built .pyc files in the checkout
int(pytest.main(["-p", "no:cacheprovider", *pytest_args.to_py()]))
`);
process.exit(code);
