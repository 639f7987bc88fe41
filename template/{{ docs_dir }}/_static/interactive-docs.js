// Managed by copier-interactive-docs: `copier update` rewrites this file.
//
// 1. When a reader points at or focuses a "Try it" button, start fetching Pyodide, so that
//    it arrives while the example starts instead of after the click. Nothing is fetched
//    when the page loads, nor when the reader asks to save data.
// 2. With the in-page runner (buttons with data-notebook), a click turns the example into
//    editable cells, run in place by one Pyodide in a Web Worker shared by every example
//    of the page (interactive-docs-worker.js). The cells are those of the example's
//    notebook in the site, the one "Open in JupyterLite" opens. Nothing is fetched when a
//    page loads, except on the next pages of a reader who ran an example, which start
//    Python as they load. Phones get "Try it" too. Edits are kept for this build, and
//    "Download" saves them as a notebook. The cells' editor (interactive-docs-editor.js)
//    gives the code the page's colours; the prose between shows as the page renders it.
(() => {
  const root = new URL(document.documentElement.dataset.content_root ?? "", location.href);
  const lite = new URL("lite/", root);
  const SETUP = new Set(["install-project", "patch-network", "doctest-namespace", "preamble"]);
  const SKIP = /#\s*doctest:.*\+SKIP/;
  let prefetched = false;

  let liteSettings = null;
  function liteConfig() { // the JupyterLite site's settings, fetched once
    liteSettings ??= fetch(new URL("jupyter-lite.json", lite)).then((response) => response.json());
    liteSettings.catch(() => { liteSettings = null; });
    return liteSettings;
  }

  async function prefetchPyodide() {
    if (prefetched) return;
    prefetched = true;
    const config = await liteConfig();
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
  let memory = null; // the bytes of Python's memory after the last cell
  const highlights = new Map(); // highlight id -> resolve(markup)
  let nextHighlight = 0;
  let restored = null; // did Python start from the snapshot an earlier page kept?

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
    if (value === "ready") { // edits made while Python was off get their colours
      for (const example of examples.values()) for (const cell of example.cells) cell.editor?.refresh();
    }
  }

  // Every pending run ends: false (Python failed) or null (stopped).
  function endRuns(result) {
    for (const run of runs.values()) run.resolve(result);
    runs.clear();
    for (const resolve of highlights.values()) resolve(null);
    highlights.clear();
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
      if (data.type === "ready") {
        restored = data.restored;
        setState("ready");
      }
      else if (data.type === "failed") fail(data.error);
      else if (data.type === "highlighted") {
        highlights.get(data.id)?.(data.html);
        highlights.delete(data.id);
      } else {
        const run = runs.get(data.id);
        if (!run) return;
        if (data.type === "done") {
          memory = data.memory ?? memory;
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

  // An edited cell's code as the page's Pygments marks it up, by the page's Python (which
  // this does not start: after Stop, edits show plainly until Python runs again).
  function highlight(code) {
    if (!worker || state === "failed") return Promise.resolve(null);
    const id = nextHighlight++;
    const done = new Promise((resolve) => highlights.set(id, resolve));
    worker.postMessage({ type: "highlight", id, code });
    return done;
  }

  // The cells' editor, loaded on intent; without it a cell is a plain textarea.
  let editorModule = null;
  function loadEditor() {
    editorModule ??= import(new URL("_static/interactive-docs-editor.js", root).href);
    editorModule.catch(() => { editorModule = null; });
    return editorModule;
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
    } else if (message.type === "cut") { // the worker kept the rest of the stream: its size
      let note = output.querySelector(`.interactive-docs-cut[data-cut="${message.name}"]`);
      if (!note) {
        note = el("p", { className: "interactive-docs-cut" });
        note.dataset.cut = message.name;
        output.append(note);
      }
      note.textContent = message.text;
    } else if (message.type === "warning") { // the reader sees it; it is not an error
      output.append(el("pre", { className: "interactive-docs-warning" }, message.text));
    } else if (message.type === "error") {
      output.append(el("pre", { className: "interactive-docs-error" }, message.traceback));
    } else {
      showData(output, message.data);
    }
    if (message.cut) {
      const note = el("p", { className: "interactive-docs-cut" }, message.cut);
      note.dataset.cut = message.type;
      output.append(note);
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

  async function exampleOf(button) {
    const container = button.closest(".try_examples_outer_container");
    if (!examples.has(container.id)) {
      const [notebook, editor] = await Promise.all([notebookOf(button), loadEditor().catch(() => null)]);
      if (!examples.has(container.id)) examples.set(container.id, makeExample(container, notebook, editor));
    }
    return examples.get(container.id);
  }

  async function open(button) {
    remember();
    const container = button.closest(".try_examples_outer_container");
    const example = await exampleOf(button);
    await example.restoreEdits();
    container.querySelector(".try_examples_content").hidden = true;
    example.element.hidden = false;
    button.hidden = true;
    // A keyboard or a mouse goes on in the first cell; a finger reads first (focusing a
    // cell would open a phone's keyboard over the example).
    const first = example.cells.find((cell) => !cell.setup)?.input;
    (matchMedia("(pointer: coarse)").matches ? example.element : first)?.focus({ preventScroll: true });
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

  // Markdown the page does not render (the notebook's warning): its paragraphs, with its
  // links and inline code, and no other markup.
  function markdown(text) {
    const paragraphs = text.replace(/<[^>]+>/g, "").trim().split(/\n\s*\n/);
    return el("div", { className: "interactive-docs-markdown" }, ...paragraphs.map((paragraph) => {
      const parts = paragraph.replace(/\s+/g, " ").split(/(\[[^\]]+\]\(https?:\/\/[^)\s]+\)|`[^`]+`)/);
      return el("p", {}, ...parts.map((part) => {
        const link = part.match(/^\[([^\]]+)\]\((.+)\)$/);
        if (link) return el("a", { href: link[2] }, link[1]);
        return part.startsWith("`") && part.length > 1 ? el("code", {}, part.slice(1, -1)) : part;
      }));
    }));
  }

  // The page's own rendering of a Markdown cell's text (marked by the build), else its text.
  function prose(container, cell, text) {
    const number = cell.metadata?.interactive_docs?.prose;
    const shown = number === undefined ? [] : container.querySelectorAll(
      `.try_examples_content > .interactive-docs-prose-${number}`);
    if (!shown.length) return markdown(text);
    const copies = [...shown].map((node) => node.cloneNode(true));
    for (const copy of copies) {
      for (const named of [copy, ...copy.querySelectorAll("[id]")]) named.removeAttribute("id");
    }
    return el("div", { className: "interactive-docs-prose" }, ...copies);
  }

  function makeExample(container, notebook, editor) {
    const example = { id: container.id, cells: [], setUp: false, started: false };
    const line = el("span", { className: "interactive-docs-status", role: "status" });
    status.add(line);
    const runAllButton = el("button", { type: "button", className: "interactive-docs-button" }, "Run all");
    const stopButton = el("button", { type: "button", className: "interactive-docs-button",
      title: "Stop Python (every example on this page starts again from scratch)" }, "Stop");
    const closeButton = el("button", { type: "button", className: "interactive-docs-button" }, "Show the original");
    const downloadButton = el("button", { type: "button", className: "interactive-docs-button",
      title: "Save these cells, with your edits, as a Jupyter notebook" }, "Download");
    const resetButton = el("button", { type: "button", className: "interactive-docs-button",
      title: "Put the example's own code back in the cells", hidden: true }, "Undo my edits");
    const toolbar = el("div", { className: "interactive-docs-toolbar" },
      runAllButton, stopButton, closeButton, downloadButton, resetButton, line);
    const setup = el("details", { className: "interactive-docs-setup" },
      el("summary", {}, "Set-up cells, run first"));
    const element = el("div", { className: "interactive-docs-runner", role: "region",
      ariaLabel: "Interactive example", hidden: true, tabIndex: -1 }, toolbar);
    let codeNumber = 0;
    for (const cell of notebook.cells) {
      const text = Array.isArray(cell.source) ? cell.source.join("") : cell.source;
      if (cell.cell_type !== "code") {
        element.append(prose(container, cell, text));
        continue;
      }
      const isSetup = SETUP.has(cell.id);
      const tags = cell.metadata?.tags ?? [];
      // The doctests skip a "+SKIP" line (often a plot): when it fails here, the rest runs.
      const goOn = tags.includes("raises-exception") || SKIP.test(text);
      const c = makeCell(example, text, ++codeNumber, isSetup, goOn, editor && ((input) =>
        editor.attach(input, { html: cell.metadata?.interactive_docs?.html, highlight })));
      example.cells.push(c);
      (isSetup ? setup : element).append(c.element);
      if (isSetup && setup.parentNode !== element) element.append(setup);
    }
    example.element = element;
    // Once per Python: a run that starts while the set-up cells run (e.g. ahead of the
    // click, on the next page) waits for them.
    example.runSetup = () => {
      if (!example.setUp) {
        const setUp = (async () => {
          for (const cell of example.cells.filter((c) => c.setup)) {
            if (!(await cell.run())) {
              setup.open = true; // its error says why the example's cells do not run
              return false;
            }
          }
          return true;
        })();
        example.setUp = setUp;
        setUp.then((ok) => { if (!ok && example.setUp === setUp) example.setUp = false; });
      }
      return example.setUp;
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
    // The reader's edits: kept in this browser for this build of the docs (as JupyterLite
    // keeps its notebooks: an edit of an older build's example does not come back).
    const key = `interactive-docs-edits:${new URL(container.querySelector(".interactive-docs-try").dataset.notebook, location.href).pathname}`;
    const sources = () => example.cells.map((cell) => cell.input.value);
    const original = sources();
    const edited = () => sources().some((source, index) => source !== original[index]);
    const build = async () => (await liteConfig())["jupyter-config-data"].contentsStorageName ?? "";
    example.restoreEdits = async () => {
      if (example.restored) return;
      example.restored = true;
      try {
        const saved = JSON.parse(localStorage.getItem(key) ?? "null");
        if (saved?.build !== await build() || saved.cells.length !== example.cells.length) return;
        saved.cells.forEach((source, index) => example.cells[index].setSource(source));
        resetButton.hidden = !edited();
        // Set-up cells run ahead of the click ran the code as written.
        if (example.cells.some((cell, index) => cell.setup && cell.input.value !== original[index])) {
          example.setUp = false;
        }
      } catch { /* storage off or unreadable: the example as written */ }
    };
    let saving = null;
    example.saveEdits = () => {
      resetButton.hidden = !edited();
      clearTimeout(saving);
      saving = setTimeout(async () => {
        try {
          if (edited()) localStorage.setItem(key, JSON.stringify({ build: await build(), cells: sources() }));
          else localStorage.removeItem(key);
        } catch { /* storage full or off: the edits last as long as the page */ }
      }, 300);
    };
    resetButton.addEventListener("click", () => {
      original.forEach((source, index) => example.cells[index].setSource(source));
      example.saveEdits();
      example.cells.find((cell) => !cell.setup)?.input.focus();
    });
    downloadButton.addEventListener("click", () => {
      let index = 0;
      const own = ({ interactive_docs, ...metadata }) => metadata; // what only this page uses
      const cells = notebook.cells.map((cell) => ({ ...cell, metadata: own(cell.metadata ?? {}),
        ...(cell.cell_type === "code" && { source: example.cells[index++].input.value, outputs: [], execution_count: null }) }));
      const saved = { ...notebook, metadata: own(notebook.metadata ?? {}), cells };
      const blob = new Blob([JSON.stringify(saved, null, 1)], { type: "application/x-ipynb+json" });
      const link = el("a", { href: URL.createObjectURL(blob), download: key.split("/").at(-1) });
      link.click();
      setTimeout(() => URL.revokeObjectURL(link.href), 1000);
    });
    runAllButton.addEventListener("click", () => { example.setUp = false; example.runAll(); });
    stopButton.addEventListener("click", stopWorker);
    closeButton.addEventListener("click", () => close(container));
    container.querySelector(".try_examples_content").after(element);
    setState(state);
    return example;
  }

  function makeCell(example, text, number, setup, goOn, attach) {
    const input = el("textarea", { className: "interactive-docs-input", value: text,
      spellcheck: false, rows: text.split("\n").length, ariaLabel: `Code cell ${number}` });
    input.setAttribute("autocapitalize", "off");
    const runButton = el("button", { type: "button", className: "interactive-docs-button",
      title: "Run this cell (Shift+Enter)", ariaLabel: `Run cell ${number}` }, "Run");
    const output = el("div", { className: "interactive-docs-output", ariaLive: "polite" });
    let editor = null;
    try { editor = attach?.(input); } catch (error) { console.error(error); } // a plain textarea
    const element = el("div", { className: "interactive-docs-cell" },
      el("div", { className: "interactive-docs-input-row" }, editor?.element ?? input, runButton), output);
    element.dataset.state = "idle";
    const cell = { element, input, output, setup, goOn, editor };
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
    cell.setSource = (source) => {
      input.value = source;
      input.rows = source.split("\n").length;
      editor?.refresh();
    };
    input.addEventListener("input", () => {
      input.rows = input.value.split("\n").length;
      example.saveEdits();
    });
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

  // --- The next page -------------------------------------------------------------------------
  // A reader who ran an example here is likely to run one on the next page. For the rest of
  // the browser session (this tab, this site), such a page starts Python as it loads (from
  // the browser's cache by then) and runs its first example's set-up cells, so that the
  // click finds the example ready. A first visit still fetches nothing before intent.
  const RUNS = "interactive-docs-runs";

  function remember() {
    try { sessionStorage.setItem(RUNS, lite.href); } catch { /* storage off: no head start */ }
    startWorker().postMessage({ type: "keep" }); // and its start-up, for the next page's Python
  }

  async function prestart() {
    let ran = false;
    try { ran = sessionStorage.getItem(RUNS) === lite.href; } catch { return; }
    const button = document.querySelector(".interactive-docs-try");
    if (!ran || !button || navigator.connection?.saveData || await pageIgnored()) return;
    startWorker();
    const example = await exampleOf(button);
    if (!example.started) await example.runSetup();
  }

  // --- Phones ------------------------------------------------------------------------------
  // jupyterlite-sphinx hides every button on touch devices and small screens, for
  // JupyterLab's sake, and reads no try_examples.json there. The in-page runner needs no
  // JupyterLab: "Try it" shows, unless the file's ignore patterns hide the page; "Open in
  // JupyterLite" stays hidden.
  let ignored = null; // a promise: does try_examples.json hide this page?
  function pageIgnored() {
    ignored ??= fetch(new URL("try_examples.json", root), { cache: "no-cache" })
      .then((response) => (response.ok ? response.json() : {}))
      .then((config) => (config.ignore_patterns ?? []).some((pattern) => new RegExp(pattern).test(location.pathname)))
      .catch(() => true); // unsure: leave it as jupyterlite-sphinx has it
    return ignored;
  }

  async function showOnPhone(button) {
    if (!button.classList.contains("hidden") || !window.isMobileDevice?.() || await pageIgnored()) return;
    button.classList.remove("hidden");
  }

  const phoneWatch = new MutationObserver((changes) => {
    for (const change of changes) showOnPhone(change.target);
  });
  function watchButtons() {
    for (const button of document.querySelectorAll(".interactive-docs-try")) {
      phoneWatch.observe(button, { attributes: true, attributeFilter: ["class"] });
      showOnPhone(button);
    }
  }

  // --- Wiring ------------------------------------------------------------------------------
  function intent(event) {
    const button = event.target instanceof Element && event.target.closest(".try_examples_button");
    if (!button || navigator.connection?.saveData) return;
    if (button.classList.contains("interactive-docs-try")) {
      startWorker(); // Python starts while the reader decides
      notebookOf(button).catch(() => {});
      loadEditor().catch(() => {});
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

  function ready() {
    watchButtons();
    prestart().catch(() => {}); // only a head start: the click does what is missing
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();

  window.interactiveDocs = { examples, stop: stopWorker, get state() { return state; }, get error() { return error; },
    get memory() { return memory; }, get restored() { return restored; } };
})();
