// Managed by copier-interactive-docs: `copier update` rewrites this file.
//
// 1. When a reader points at or focuses a "Try it" button, start fetching Pyodide, so that
//    it arrives while the example starts instead of after the click. Nothing is fetched
//    when the page loads, nor when the reader asks to save data.
// 2. With the in-page runner (buttons with data-notebook), a click turns the example into
//    editable cells, run in place by one Pyodide in a Web Worker shared by every example
//    of the page (interactive-docs-worker.js). The cells are those of the example's
//    notebook in the site, the one "Open in JupyterLite" opens.
(() => {
  const root = new URL(document.documentElement.dataset.content_root ?? "", location.href);
  const lite = new URL("lite/", root);
  const SETUP = new Set(["install-project", "patch-network", "doctest-namespace", "preamble"]);
  const SKIP = /#\s*doctest:.*\+SKIP/;
  let prefetched = false;

  async function prefetchPyodide() {
    if (prefetched) return;
    prefetched = true;
    const config = await (await fetch(new URL("jupyter-lite.json", lite))).json();
    const kernel = config["jupyter-config-data"].litePluginSettings?.["@jupyterlite/pyodide-kernel-extension:kernel"];
    if (!kernel?.pyodideUrl) return;
    const pyodide = new URL(kernel.pyodideUrl, lite);
    for (const file of [pyodide.href, "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json"]) {
      fetch(new URL(file, pyodide), { priority: "low" }).then((response) => response.arrayBuffer()).catch(() => {});
    }
  }

  // --- The page's Python: one worker, started on intent, restarted by Stop ---------------
  let worker = null;
  const runs = new Map(); // run id -> {onMessage, resolve}
  let nextRun = 0;
  const status = new Set(); // the status lines of the open examples
  let state = "off"; // off | starting | ready | failed
  let error = null; // why Python could not start

  function setState(value, detail = "") {
    state = value;
    error = value === "failed" ? detail : null;
    const text = {
      starting: "Starting Python in your browser…",
      ready: "Python is ready.",
      failed: `Python could not start: ${detail} Try “Open in JupyterLite”.`,
      off: "Python stopped. Running a cell starts it again.",
    }[value];
    for (const line of status) line.textContent = text;
  }

  // Every pending run ends: false (Python failed) or null (stopped).
  function endRuns(result) {
    for (const run of runs.values()) run.resolve(result);
    runs.clear();
  }

  function startWorker() {
    if (worker) return worker;
    const url = new URL("_static/interactive-docs-worker.js", root);
    url.searchParams.set("lite", lite.href);
    worker = new Worker(url, { type: "module", name: "interactive-docs" });
    setState("starting");
    const fail = (detail) => {
      setState("failed", detail);
      endRuns(false);
    };
    worker.onmessage = ({ data }) => {
      if (data.type === "ready") setState("ready");
      else if (data.type === "failed") fail(data.error);
      else {
        const run = runs.get(data.id);
        if (!run) return;
        if (data.type === "done") {
          runs.delete(data.id);
          run.resolve(data.ok);
        } else run.onMessage(data);
      }
    };
    worker.onerror = (event) => fail(event.message || "the worker failed.");
    return worker;
  }

  function stopWorker() {
    worker?.terminate();
    worker = null;
    endRuns(null);
    for (const example of examples.values()) example.setUp = false;
    setState("off");
  }

  function run(example, code, filename, onMessage) {
    if (state === "failed") return Promise.resolve(false);
    const id = nextRun++;
    const done = new Promise((resolve) => runs.set(id, { onMessage, resolve }));
    startWorker().postMessage({ type: "run", id, example, code, filename });
    return done;
  }

  // --- Outputs ---------------------------------------------------------------------------
  function el(tag, props = {}, ...children) {
    const node = Object.assign(document.createElement(tag), props);
    node.append(...children);
    return node;
  }

  function showData(output, data) {
    if (data["text/html"]) {
      output.append(el("div", { className: "interactive-docs-html", innerHTML: data["text/html"] }));
    } else if (data["image/svg+xml"]) {
      output.append(el("div", { className: "interactive-docs-svg", innerHTML: data["image/svg+xml"] }));
    } else if (data["image/png"] || data["image/jpeg"]) {
      const type = data["image/png"] ? "image/png" : "image/jpeg";
      output.append(el("img", { src: `data:${type};base64,${data[type]}`, alt: data["text/plain"] ?? "" }));
    } else {
      output.append(el("pre", { className: "interactive-docs-text" }, data["text/plain"] ?? ""));
    }
  }

  function appendOutput(output, message) {
    if (message.type === "stream") {
      const last = output.lastElementChild;
      if (last?.dataset.stream === message.name) last.textContent += message.text;
      else {
        const pre = el("pre", { className: `interactive-docs-${message.name}` }, message.text);
        pre.dataset.stream = message.name;
        output.append(pre);
      }
    } else if (message.type === "warning") { // the reader sees it; it is not an error
      output.append(el("pre", { className: "interactive-docs-warning" }, message.text));
    } else if (message.type === "error") {
      output.append(el("pre", { className: "interactive-docs-error" }, message.traceback));
    } else {
      showData(output, message.data);
    }
  }

  // --- An example in place ---------------------------------------------------------------
  const notebooks = new Map(); // URL -> the notebook's JSON, fetched once (on intent)

  function notebookOf(button) {
    const url = new URL(button.dataset.notebook, location.href).href;
    if (!notebooks.has(url)) {
      notebooks.set(url, fetch(url).then((response) => {
        if (!response.ok) throw new Error(`${url}: ${response.status}`);
        return response.json();
      }));
      notebooks.get(url).catch(() => notebooks.delete(url)); // the click tries again
    }
    return notebooks.get(url);
  }

  const examples = new Map(); // container id -> example

  async function open(button) {
    const container = button.closest(".try_examples_outer_container");
    let example = examples.get(container.id);
    if (!example) {
      example = makeExample(container, await notebookOf(button));
      examples.set(container.id, example);
    }
    container.querySelector(".try_examples_content").hidden = true;
    example.element.hidden = false;
    button.hidden = true;
    example.cells.find((cell) => !cell.setup)?.input.focus({ preventScroll: true });
    if (!example.started) {
      example.started = true;
      await example.runAll();
    }
  }

  function close(container) {
    container.querySelector(".try_examples_content").hidden = false;
    examples.get(container.id).element.hidden = true;
    const button = container.querySelector(".interactive-docs-try");
    button.hidden = false;
    button.focus();
  }

  function makeExample(container, notebook) {
    const example = { id: container.id, cells: [], setUp: false, started: false };
    const line = el("span", { className: "interactive-docs-status", role: "status" });
    status.add(line);
    const runAllButton = el("button", { type: "button", className: "interactive-docs-button" }, "Run all");
    const stopButton = el("button", { type: "button", className: "interactive-docs-button",
      title: "Stop Python (every example on this page starts again from scratch)" }, "Stop");
    const closeButton = el("button", { type: "button", className: "interactive-docs-button" }, "Show the original");
    const toolbar = el("div", { className: "interactive-docs-toolbar" }, runAllButton, stopButton, closeButton, line);
    const setup = el("details", { className: "interactive-docs-setup" },
      el("summary", {}, "Set-up cells, run first"));
    const element = el("div", { className: "interactive-docs-runner", role: "region",
      ariaLabel: "Interactive example" }, toolbar);
    let codeNumber = 0;
    for (const cell of notebook.cells) {
      const text = Array.isArray(cell.source) ? cell.source.join("") : cell.source;
      if (cell.cell_type !== "code") {
        element.append(el("div", { className: "interactive-docs-markdown" }, text.replace(/<[^>]+>/g, "").trim()));
        continue;
      }
      const isSetup = SETUP.has(cell.id);
      const tags = cell.metadata?.tags ?? [];
      // The doctests skip a "+SKIP" line (often a plot): when it fails here, the rest runs.
      const goOn = tags.includes("raises-exception") || SKIP.test(text);
      const c = makeCell(example, text, ++codeNumber, isSetup, goOn);
      example.cells.push(c);
      (isSetup ? setup : element).append(c.element);
      if (isSetup && setup.parentNode !== element) element.append(setup);
    }
    example.element = element;
    example.runSetup = async () => {
      if (example.setUp) return true;
      for (const cell of example.cells.filter((c) => c.setup)) {
        if (!(await cell.run())) return false;
      }
      example.setUp = true;
      return true;
    };
    example.runAll = async () => {
      element.dataset.run = "running"; // "finished" once every cell ran, or one failed
      try {
        if (!(await example.runSetup())) return false;
        for (const cell of example.cells.filter((c) => !c.setup)) {
          if (!(await cell.run()) && !cell.goOn) return false;
        }
        return true;
      } finally {
        element.dataset.run = "finished";
      }
    };
    runAllButton.addEventListener("click", () => { example.setUp = false; example.runAll(); });
    stopButton.addEventListener("click", stopWorker);
    closeButton.addEventListener("click", () => close(container));
    container.querySelector(".try_examples_content").after(element);
    setState(state);
    return example;
  }

  function makeCell(example, text, number, setup, goOn) {
    const input = el("textarea", { className: "interactive-docs-input", value: text,
      spellcheck: false, rows: text.split("\n").length, ariaLabel: `Code cell ${number}` });
    input.setAttribute("autocapitalize", "off");
    const runButton = el("button", { type: "button", className: "interactive-docs-button",
      title: "Run this cell (Shift+Enter)", ariaLabel: `Run cell ${number}` }, "Run");
    const output = el("div", { className: "interactive-docs-output", ariaLive: "polite" });
    const element = el("div", { className: "interactive-docs-cell" },
      el("div", { className: "interactive-docs-input-row" }, input, runButton), output);
    element.dataset.state = "idle";
    const cell = { element, input, output, setup, goOn };
    cell.run = async () => {
      // A cell's example first runs its set-up cells, in this Python, once.
      if (!setup && !(await example.runSetup())) return false;
      output.replaceChildren();
      element.dataset.state = "running";
      const ok = await run(example.id, input.value, `<cell ${number}>`, (m) => appendOutput(output, m));
      element.dataset.state = ok === null ? "stopped" : ok ? "done" : "error";
      if (ok === null) output.append(el("pre", { className: "interactive-docs-stderr" }, "Stopped."));
      if (ok === false && state === "failed") {
        output.append(el("pre", { className: "interactive-docs-stderr" }, "Python could not start."));
      }
      return ok;
    };
    input.addEventListener("input", () => { input.rows = input.value.split("\n").length; });
    input.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && event.shiftKey) {
        event.preventDefault();
        cell.run();
        const next = example.cells[example.cells.indexOf(cell) + 1];
        next?.input.focus();
      }
    });
    runButton.addEventListener("click", () => cell.run());
    return cell;
  }

  // --- Wiring ------------------------------------------------------------------------------
  function intent(event) {
    const button = event.target instanceof Element && event.target.closest(".try_examples_button");
    if (!button || navigator.connection?.saveData) return;
    if (button.classList.contains("interactive-docs-try")) {
      startWorker(); // Python starts while the reader decides
      notebookOf(button).catch(() => {});
    } else {
      prefetchPyodide().catch(() => {}); // only a head start: the click fetches what is missing
    }
  }

  for (const event of ["pointerover", "focusin"]) document.addEventListener(event, intent);
  document.addEventListener("click", (event) => {
    const button = event.target instanceof Element && event.target.closest(".interactive-docs-try");
    if (!button) return;
    open(button).catch((error) => {
      // Without the in-page runner, the example still opens in JupyterLite.
      console.error(error);
      button.parentElement.querySelector(".interactive-docs-lite")?.click();
    });
  });

  window.interactiveDocs = { examples, stop: stopWorker, get state() { return state; }, get error() { return error; } };
})();
