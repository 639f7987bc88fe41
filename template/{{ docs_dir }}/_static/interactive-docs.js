// Managed by copier-interactive-docs: `copier update` rewrites this file.
// When a reader points at or focuses a "Try it" button, start downloading Pyodide into the
// browser cache, so that it arrives while JupyterLite starts up after the click instead of
// after it. Nothing is fetched when the page loads, nor when the reader asks to save data.
(() => {
  let started = false;

  async function prefetchPyodide() {
    if (started || navigator.connection?.saveData) return;
    started = true;
    const lite = new URL("lite/", new URL(document.documentElement.dataset.content_root ?? "", location.href));
    const config = await (await fetch(new URL("jupyter-lite.json", lite))).json();
    const kernel = config["jupyter-config-data"].litePluginSettings?.["@jupyterlite/pyodide-kernel-extension:kernel"];
    if (!kernel?.pyodideUrl) return;
    const pyodide = new URL(kernel.pyodideUrl, lite);
    for (const file of [pyodide.href, "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json"]) {
      fetch(new URL(file, pyodide), { priority: "low" }).then((response) => response.arrayBuffer()).catch(() => {});
    }
  }

  for (const event of ["pointerover", "focusin"]) {
    document.addEventListener(event, (e) => {
      if (e.target instanceof Element && e.target.closest(".try_examples_button")) {
        prefetchPyodide().catch(() => {});  // only a head start: the click fetches what is missing
      }
    });
  }
})();
