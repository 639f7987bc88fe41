// Managed by copier-interactive-docs: `copier update` rewrites this file.
// The page's own Python: one Pyodide, the one the JupyterLite kernel loads, in a Web Worker
// so that the page stays responsive. interactive-docs.js starts it and sends it cells; the
// Python side is interactive-docs-worker.py (interactive_docs/worker.py in the docs).
//
// Messages in:  {type: "run", id, example, code, filename}
// Messages out: {type: "ready", version} once, then for each run its outputs
//               ({type: "stream" | "warning" | "display" | "result" | "error", id, ...}) and
//               {type: "done", id, ok}; {type: "failed", error} if Python cannot start.

const lite = new URL(new URL(self.location.href).searchParams.get("lite"));

// The kernel's package indexes: piplite's wheel, from the first that has it, and the wheels
// of the site's own index (the first), as {name: {version: URL}}.
async function packageIndexes(indexes) {
  const found = await Promise.all(indexes.map((index) => fetch(index).then((r) => r.json())));
  const withPiplite = found.findIndex((index) => index.piplite?.releases);
  if (withPiplite < 0) throw new Error(`no piplite in the kernel's package indexes ${indexes.join(", ")}`);
  const releases = found[withPiplite].piplite.releases;
  const piplite = new URL(releases[Object.keys(releases).sort().at(-1)][0].url, indexes[withPiplite]).href;
  const wheels = {};
  for (const [name, project] of Object.entries(found[0] ?? {})) {
    wheels[name] = {};
    for (const [version, files] of Object.entries(project.releases ?? {})) {
      const wheel = files.find((file) => file.url.endsWith(".whl"));
      if (wheel) wheels[name][version] = new URL(wheel.url, indexes[0]).href;
    }
  }
  return { piplite, wheels };
}

async function start() {
  const config = await (await fetch(new URL("jupyter-lite.json", lite))).json();
  const kernel = config["jupyter-config-data"].litePluginSettings?.[
    "@jupyterlite/pyodide-kernel-extension:kernel"] ?? {};
  if (!kernel.pyodideUrl) throw new Error(`${lite}jupyter-lite.json names no pyodideUrl`);
  const url = new URL(kernel.pyodideUrl, lite);
  const indexes = (kernel.pipliteUrls ?? []).map((index) => new URL(index, lite).href);
  const [{ loadPyodide }, source, { piplite, wheels }] = await Promise.all([
    import(url.href),
    fetch(new URL("interactive-docs-worker.py", self.location.href)).then((r) => r.text()),
    packageIndexes(indexes),
  ]);
  // micropip downloads while Pyodide starts.
  const pyodide = await loadPyodide({ indexURL: new URL(".", url).href, packages: ["micropip"] });
  pyodide.FS.writeFile("/home/pyodide/interactive_docs_worker.py", source);
  pyodide.runPython("import sys; '/home/pyodide' in sys.path or sys.path.insert(0, '/home/pyodide')");
  const module = pyodide.pyimport("interactive_docs_worker");
  const [pip, installWheels] = module.setup(pyodide.toPy(indexes), !!kernel.disablePyPIFallback, piplite);
  let current = null; // the id of the run whose outputs Python is sending
  const runner = module.runner((message) => postMessage({ ...JSON.parse(message), id: current }),
    pip, pyodide.toPy(wheels), installWheels);
  postMessage({ type: "ready", version: pyodide.version });
  return async ({ id, example, code, filename }) => {
    current = id;
    try {
      postMessage({ type: "done", id, ok: await runner.run_cell(example, code, filename) });
    } catch (error) { // not the cell's: Python itself failed
      postMessage({ type: "error", id, ename: "Error", evalue: String(error), traceback: String(error) });
      postMessage({ type: "done", id, ok: false });
    }
  };
}

const ready = start();
ready.catch((error) => postMessage({ type: "failed", error: String(error) }));
let queue = Promise.resolve(); // one cell at a time, in the order the page sent them
self.onmessage = ({ data }) => {
  queue = queue.then(async () => {
    const run = await ready;
    await run(data);
  }).catch(() => {});
};
