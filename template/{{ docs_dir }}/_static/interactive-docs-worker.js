// Managed by copier-interactive-docs: `copier update` rewrites this file.
// The page's own Python: one Pyodide, the one the JupyterLite kernel loads, in a Web Worker
// so that the page stays responsive. interactive-docs.js starts it and sends it cells; the
// Python side is interactive-docs-worker.py (interactive_docs/worker.py in the docs).
//
// Messages in:  {type: "run", id, example, code, filename}; {type: "keep"}: the reader runs
//               examples, keep Python's start-up for the next page (see below);
//               {type: "highlight", id, code}: a reader's edit, to mark up as the page does
// Messages out: {type: "ready", version, restored} once, then for each run its outputs
//               ({type: "stream" | "warning" | "display" | "result" | "error", id, ...},
//               each output cut by the Python side, with {type: "cut", id, name, text} or a
//               `cut` text saying how much it kept back) and
//               {type: "done", id, ok, memory} (memory: the bytes of Python's WebAssembly
//               memory); {type: "failed", error} if Python cannot start; for each
//               highlight, {type: "highlighted", id, html} (html: null if it failed).

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

// The next page starts Python from a memory snapshot of this one's, as it was just after
// start-up (before any package or cell: Pyodide can only snapshot a Python that holds no
// JavaScript object yet). Pyodide's snapshots are experimental: any failure means a plain
// start. It is kept in Cache Storage once the page says the reader runs examples, under
// the name of this build's JupyterLite storage, so a new build of the docs starts afresh.
const SNAPSHOTS = "interactive-docs-snapshot-";
let keepSnapshot = null; // () => Promise: store this Python's snapshot

async function snapshotCache(config, pyodideUrl) {
  const name = SNAPSHOTS + (config["jupyter-config-data"].contentsStorageName ?? "");
  return { cache: await caches.open(name), name, key: new URL(`interactive-docs-snapshot?${encodeURIComponent(pyodideUrl)}`, lite).href };
}

async function loadPython(loadPyodide, indexURL, config, pyodideUrl) {
  let store = null;
  try {
    store = await snapshotCache(config, pyodideUrl);
    const saved = await store.cache.match(store.key);
    if (saved) {
      try {
        const pyodide = await loadPyodide({ indexURL, _loadSnapshot: await saved.arrayBuffer(), packages: ["micropip"] });
        return [pyodide, true];
      } catch {
        await store.cache.delete(store.key);
      }
    }
  } catch { /* no Cache Storage (e.g. not a secure context): no snapshot */ }
  let pyodide;
  try {
    pyodide = await loadPyodide({ indexURL, _makeSnapshot: !!store });
  } catch {
    pyodide = await loadPyodide({ indexURL });
    store = null;
  }
  if (store) {
    try {
      const snapshot = pyodide.makeMemorySnapshot();
      keepSnapshot = async () => {
        keepSnapshot = null;
        await store.cache.put(store.key, new Response(snapshot));
        for (const name of await caches.keys()) { // older builds' snapshots
          if (name.startsWith(SNAPSHOTS) && name !== store.name) await caches.delete(name);
        }
      };
    } catch { /* a plain start, and nothing kept */ }
  }
  await pyodide.loadPackage("micropip");
  return [pyodide, false];
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
  const [pyodide, restored] = await loadPython(loadPyodide, new URL(".", url).href, config, url.href);
  pyodide.FS.writeFile("/home/pyodide/interactive_docs_worker.py", source);
  pyodide.runPython("import sys; '/home/pyodide' in sys.path or sys.path.insert(0, '/home/pyodide')");
  const module = pyodide.pyimport("interactive_docs_worker");
  const [pip, installWheels] = module.setup(pyodide.toPy(indexes), !!kernel.disablePyPIFallback, piplite);
  let current = null; // the id of the run whose outputs Python is sending
  const runner = module.runner((message) => postMessage({ ...JSON.parse(message), id: current }),
    pip, pyodide.toPy(wheels), installWheels);
  postMessage({ type: "ready", version: pyodide.version, restored });
  let pygments = null; // loaded when a reader first edits a cell
  const highlight = async ({ id, code }) => {
    pygments ??= pyodide.loadPackage("pygments", { messageCallback: () => {} });
    await pygments;
    postMessage({ type: "highlighted", id, html: module.highlighted(code) });
  };
  const run = async ({ id, example, code, filename }) => {
    current = id;
    try {
      const ok = await runner.run_cell(example, code, filename);
      postMessage({ type: "done", id, ok, memory: pyodide._module.HEAP8.byteLength });
    } catch (error) { // not the cell's: Python itself failed
      postMessage({ type: "error", id, ename: "Error", evalue: String(error), traceback: String(error) });
      postMessage({ type: "done", id, ok: false });
    }
  };
  return { run, highlight };
}

const ready = start();
ready.catch((error) => postMessage({ type: "failed", error: String(error) }));
let queue = Promise.resolve(); // one cell at a time, in the order the page sent them
self.onmessage = ({ data }) => {
  if (data.type === "keep") {
    ready.then(() => keepSnapshot?.()).catch(() => {});
    return;
  }
  if (data.type === "highlight") { // not queued: it does not wait for a running cell's await
    ready.then(({ highlight }) => highlight(data))
      .catch(() => postMessage({ type: "highlighted", id: data.id, html: null }));
    return;
  }
  queue = queue.then(async () => {
    const { run } = await ready;
    await run(data);
  }).catch(() => {});
};
