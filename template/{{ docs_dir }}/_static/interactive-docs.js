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
// 3. On a notebook page or a gallery example, "Run this page" (data-page) does the same
//    with the page's own code cells, where they are on the page: the prose stays as it is,
//    and every cell shares one namespace. The build says what to do with each cell (its
//    notebook metadata: interactive_docs/narrative.py).
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

  // A button's runner: its example's, or the page's ("Run this page").
  async function exampleOf(button) {
    const container = button.closest(".try_examples_outer_container");
    const id = button.dataset.page ? PAGE : container.id;
    if (!examples.has(id)) {
      const [notebook, editor] = await Promise.all([notebookOf(button), loadEditor().catch(() => null)]);
      if (!examples.has(id)) {
        examples.set(id, button.dataset.page ? makePage(button, notebook, editor) : makeExample(container, notebook, editor));
      }
    }
    return examples.get(id);
  }

  async function open(button) {
    remember();
    const example = await exampleOf(button);
    await example.restoreEdits();
    example.show();
    button.hidden = true;
    // A keyboard or a mouse goes on in the first cell; a finger reads first (focusing a
    // cell would open a phone's keyboard over the example).
    const first = example.cells.find((cell) => !cell.setup && !cell.hidden)?.input;
    (matchMedia("(pointer: coarse)").matches ? example.element : first)?.focus({ preventScroll: true });
    if (!example.started) {
      example.started = true;
      await example.runAll();
    }
  }

  function close(example, button) {
    example.hide();
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

  const PAGE = "page"; // the id of the page's own runner ("Run this page")

  // The toolbar and what it does, the same for an example and for a page: Run all, Stop,
  // Show the original, Download, Undo my edits (edits kept for this build), the status.
  function controls(example, notebook, button) {
    const line = el("span", { className: "interactive-docs-status", role: "status" });
    status.add(line);
    const runAllButton = el("button", { type: "button", className: "interactive-docs-button" }, "Run all");
    const stopButton = el("button", { type: "button", className: "interactive-docs-button",
      title: "Stop Python (every example on this page starts again from scratch)" }, "Stop");
    const closeButton = el("button", { type: "button", className: "interactive-docs-button" }, "Show the original");
    const downloadButton = el("button", { type: "button", className: "interactive-docs-button",
      title: "Save these cells, with your edits, as a Jupyter notebook" }, "Download");
    const resetButton = el("button", { type: "button", className: "interactive-docs-button",
      title: "Put the page's own code back in the cells", hidden: true }, "Undo my edits");
    const toolbar = el("div", { className: "interactive-docs-toolbar" },
      runAllButton, stopButton, closeButton, downloadButton, resetButton, line);
    const setup = el("details", { className: "interactive-docs-setup" },
      el("summary", {}, "Set-up cells, run first"));
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
      example.element.dataset.run = "running"; // "finished" once every cell ran, or one failed
      try {
        if (!(await example.runSetup())) return false;
        for (const cell of example.cells.filter((c) => !c.setup && c.runAll)) {
          if (!(await cell.run()) && !cell.goOn) return false;
        }
        return true;
      } finally {
        example.element.dataset.run = "finished";
      }
    };
    // The reader's edits: kept in this browser for this build of the docs (as JupyterLite
    // keeps its notebooks: an edit of an older build's example does not come back).
    const key = `interactive-docs-edits:${new URL(button.dataset.notebook, location.href).pathname}`;
    const sources = () => example.cells.map((cell) => cell.input.value);
    let original = null; // the cells' own code, once they are made
    const edited = () => sources().some((source, index) => source !== original[index]);
    const build = async () => (await liteConfig())["jupyter-config-data"].contentsStorageName ?? "";
    example.restoreEdits = async () => {
      if (example.restored) return;
      example.restored = true;
      original ??= sources();
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
      original ??= sources();
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
      example.cells.find((cell) => !cell.setup && !cell.hidden)?.input.focus();
    });
    downloadButton.addEventListener("click", () => {
      const ran = new Map(example.cells.map((cell) => [cell.notebookCell, cell]));
      const own = ({ interactive_docs, ...metadata }) => metadata; // what only this page uses
      const cells = notebook.cells.map((cell) => ({ ...cell, metadata: own(cell.metadata ?? {}),
        ...(ran.has(cell) && { source: ran.get(cell).input.value, outputs: [], execution_count: null }) }));
      const saved = { ...notebook, metadata: own(notebook.metadata ?? {}), cells };
      const blob = new Blob([JSON.stringify(saved, null, 1)], { type: "application/x-ipynb+json" });
      const link = el("a", { href: URL.createObjectURL(blob), download: key.split("/").at(-1) });
      link.click();
      setTimeout(() => URL.revokeObjectURL(link.href), 1000);
    });
    runAllButton.addEventListener("click", () => { example.setUp = false; example.runAll(); });
    stopButton.addEventListener("click", stopWorker);
    closeButton.addEventListener("click", () => close(example, button));
    return { toolbar, setup };
  }

  function makeExample(container, notebook, editor) {
    const button = container.querySelector(".interactive-docs-try");
    const example = { id: container.id, cells: [], setUp: false, started: false };
    const { toolbar, setup } = controls(example, notebook, button);
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
      const c = makeCell(example, text, ++codeNumber, isSetup, goOn, attacher(editor, cell));
      c.notebookCell = cell;
      example.cells.push(c);
      (isSetup ? setup : element).append(c.element);
      if (isSetup && setup.parentNode !== element) element.append(setup);
    }
    example.element = element;
    const content = container.querySelector(".try_examples_content");
    example.show = () => { content.hidden = true; element.hidden = false; };
    example.hide = () => { content.hidden = false; element.hidden = true; };
    content.after(element);
    setState(state);
    return example;
  }

  function attacher(editor, cell) {
    return editor && ((input) => editor.attach(input, { html: cell.metadata?.interactive_docs?.html, highlight }));
  }

  // The page's own cells, in place: each code cell the page shows becomes a runner cell
  // right after it (the page's code and outputs hide until "Show the original"); a cell
  // the page hides runs unseen but for its errors. What to do with each is data of the
  // notebook (interactive_docs: show, page, run_all, go_on, quiet), from the build.
  function makePage(button, notebook, editor) {
    const example = { id: PAGE, cells: [], setUp: false, started: false };
    const { toolbar, setup } = controls(example, notebook, button);
    const element = el("div", { className: "interactive-docs-runner", role: "region",
      ariaLabel: "This page's code, run in your browser", hidden: true, tabIndex: -1 }, toolbar);
    const originals = []; // the page's code and outputs that the runner's cells stand for
    const shown = []; // the runner's cells on the page
    let codeNumber = 0;
    let last = null; // the last cell placed, after which a hidden cell's errors show
    for (const cell of notebook.cells) {
      if (cell.cell_type !== "code") continue;
      const text = Array.isArray(cell.source) ? cell.source.join("") : cell.source;
      const plan = cell.metadata?.interactive_docs ?? {};
      const isSetup = SETUP.has(cell.id);
      if (plan.show === "static") continue; // the page shows it, the notebook does not run it
      const target = !isSetup && plan.page !== undefined && document.querySelector(`.interactive-docs-cell-${plan.page}`);
      const c = makeCell(example, text, ++codeNumber, isSetup, !!plan.go_on, attacher(editor, cell),
        { runAll: plan.run_all !== false, quiet: !!plan.quiet });
      c.notebookCell = cell;
      if (!c.runAll) c.element.dataset.skip = ""; // Run all leaves it out (skip-execution)
      example.cells.push(c);
      if (isSetup) {
        setup.append(c.element);
        if (setup.parentNode !== element) element.append(setup);
      } else if (target && plan.show !== "hidden") {
        originals.push(target, ...document.querySelectorAll(`.interactive-docs-output-${plan.page}`));
        c.element.hidden = true;
        if (plan.show === "output") c.element.querySelector(".interactive-docs-input-row").hidden = true;
        target.after(c.element);
        shown.push(c.element);
        last = c.element;
      } else { // the page shows nothing of it: it runs, and only an error shows
        c.hidden = true;
        c.element.hidden = true;
        c.element.querySelector(".interactive-docs-input-row").hidden = true;
        (last ?? element).after(c.element);
        last = c.element;
      }
    }
    example.element = element;
    example.show = () => {
      for (const node of originals) node.style.display = "none";
      for (const node of [element, ...shown]) node.hidden = false;
    };
    example.hide = () => {
      for (const node of originals) node.style.display = "";
      for (const node of [element, ...shown]) node.hidden = true;
      for (const cell of example.cells.filter((c) => c.hidden)) cell.element.hidden = true;
    };
    button.closest(".interactive-docs-page-buttons").after(element);
    setState(state);
    return example;
  }

  function makeCell(example, text, number, setup, goOn, attach, { runAll = true, quiet = false } = {}) {
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
    const cell = { element, input, output, setup, goOn, runAll, editor };
    cell.run = async () => {
      // A cell's example first runs its set-up cells, in this Python, once.
      if (!setup && !(await example.runSetup())) return false;
      output.replaceChildren();
      element.dataset.state = "running";
      // A cell whose output the page hides (or which it hides whole) shows only errors.
      const ok = await run(example.id, input.value, `<cell ${number}>`,
        (m) => (!quiet || m.type === "error") && appendOutput(output, m));
      element.dataset.state = ok === null ? "stopped" : ok ? "done" : "error";
      if (cell.hidden && ok !== true && !example.element.hidden) element.hidden = false;
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
