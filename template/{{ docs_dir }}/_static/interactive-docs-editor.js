// Managed by copier-interactive-docs: `copier update` rewrites this file.
// The cells' editor, which interactive-docs.js loads when a reader shows interest in an
// example. The cell stays a <textarea>: focus, label, keys and screen readers work as they
// do in any form. Under it lies the same code as the page's Pygments marks it up, so the
// code takes the page's own colours, light or dark: the build marks up the example's code
// (the notebook's `interactive_docs.html`), and the page's Python marks up a reader's edits.
// Enter keeps the line's indentation (one level more after ":" or in an open bracket, one
// less after return, pass, raise, break or continue), and the bracket beside the caret
// shows its match, or that it has none.

const OPEN = { "(": ")", "[": "]", "{": "}" };
const CLOSE = { ")": "(", "]": "[", "}": "{" };
const LEVEL = "    ";
const ENDS_BLOCK = /^\s*(return|pass|raise|break|continue)\b/;

// The indentation of the line that Enter starts, from the cell's text before the caret:
// inside an open bracket, one level more than the bracket's line; else the indentation of
// the statement the caret ends (which may span lines), one level more after ":", one less
// after return, pass, raise, break or continue. Strings and comments hold no brackets.
export function indentAt(before) {
  const lines = before.split("\n");
  const open = []; // the line of each bracket still open
  let statement = 0; // the line the last statement starts on
  lines.forEach((line, number) => {
    if (!open.length) statement = number;
    let quote = null;
    for (let i = 0; i < line.length; i++) {
      const char = line[i];
      if (quote) {
        if (char === "\\") i++;
        else if (char === quote) quote = null;
      } else if (char === "#") break;
      else if (char === "'" || char === '"') quote = char;
      else if (OPEN[char]) open.push(number);
      else if (CLOSE[char]) open.pop();
    }
  });
  const indent = (number) => lines[number].match(/^[ \t]*/)[0];
  if (open.length) return indent(open.at(-1)) + LEVEL;
  const own = indent(statement);
  if (lines.at(-1).replace(/#[^"']*$/, "").trimEnd().endsWith(":")) return own + LEVEL;
  if (ENDS_BLOCK.test(lines[statement])) return own.slice(0, Math.max(0, own.length - LEVEL.length));
  return own;
}

// The brackets' pairs, from [offset, character] in the order of the code: offset -> the
// offset of its match, or -1 for a bracket without one.
export function bracketPairs(brackets) {
  const pairs = new Map();
  const open = [];
  for (const [at, char] of brackets) {
    if (OPEN[char]) open.push([at, char]);
    else if (open.length && open.at(-1)[1] === CLOSE[char]) {
      const [start] = open.pop();
      pairs.set(at, start).set(start, at);
    } else pairs.set(at, -1);
  }
  for (const [at] of open) pairs.set(at, -1);
  return pairs;
}

function* textNodes(root) {
  const walk = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  while (walk.nextNode()) yield walk.currentNode;
}

// Wrap the character at offset of root's text in <span class=...>.
function mark(root, offset, className) {
  let start = 0;
  for (const node of textNodes(root)) {
    if (offset < start + node.data.length) {
      const char = node.splitText(offset - start);
      char.splitText(1);
      const span = Object.assign(document.createElement("span"), { className });
      char.replaceWith(span);
      span.append(char);
      return;
    }
    start += node.data.length;
  }
}

// Insert text at the caret as typing would, so that the browser's Undo takes it back.
function insert(input, text) {
  if (!document.execCommand?.("insertText", false, text)) {
    input.setRangeText(text, input.selectionStart, input.selectionEnd, "end");
    input.dispatchEvent(new Event("input", { bubbles: true }));
  }
}

// Turn the textarea into the cell's editor. html: the build's markup of its code (used if
// it is the markup of that code); highlight(code): a promise of the markup of other code,
// or null when no Python can give it (the cell then shows its code plainly).
export function attach(input, { html = null, highlight = async () => null } = {}) {
  const layer = Object.assign(document.createElement("div"), { className: "interactive-docs-layer" });
  // Only a picture of the textarea's text: never read out, never focused.
  const box = Object.assign(document.createElement("div"), { className: "highlight interactive-docs-highlight", inert: true });
  box.setAttribute("aria-hidden", "true");
  box.append(layer);
  const element = Object.assign(document.createElement("div"), { className: "interactive-docs-editor" });
  element.append(box, input);
  element.dataset.highlighted = "false";
  let shown = null; // the code the layer shows
  let markup = ""; // its markup, without the bracket marks
  let asking = false;

  const show = (code, result) => {
    layer.innerHTML = result;
    if (layer.textContent.replace(/\n$/, "") !== code.replace(/\n$/, "")) { // not this code's markup
      layer.innerHTML = markup;
      return false;
    }
    [shown, markup] = [code, result];
    element.dataset.highlighted = String(input.value === shown);
    brackets();
    return true;
  };

  const refresh = async () => {
    element.dataset.highlighted = String(input.value === shown);
    if (input.value === shown || asking) return;
    asking = true;
    try {
      while (input.value !== shown) {
        const code = input.value;
        const result = await highlight(code);
        if (result == null || (input.value === code && !show(code, result))) break;
      }
    } catch { /* shown plainly */ } finally {
      asking = false;
    }
  };

  const brackets = () => {
    if (layer.querySelector(".interactive-docs-bracket")) layer.innerHTML = markup;
    if (element.dataset.highlighted !== "true" || document.activeElement !== input
      || input.selectionStart !== input.selectionEnd) return;
    const found = [];
    let offset = 0;
    for (const node of textNodes(layer)) {
      if (node.parentElement.classList.contains("p")) { // Pygments' punctuation: not in strings
        [...node.data].forEach((char, i) => { if (OPEN[char] || CLOSE[char]) found.push([offset + i, char]); });
      }
      offset += node.data.length;
    }
    const pairs = bracketPairs(found);
    const caret = input.selectionStart;
    const at = pairs.has(caret - 1) ? caret - 1 : pairs.has(caret) ? caret : null;
    if (at === null) return;
    const partner = pairs.get(at);
    mark(layer, at, `interactive-docs-bracket${partner < 0 ? " interactive-docs-unmatched" : ""}`);
    if (partner >= 0) mark(layer, partner, "interactive-docs-bracket");
  };

  input.addEventListener("input", () => { refresh(); brackets(); });
  for (const event of ["keyup", "mouseup", "focus", "blur"]) input.addEventListener(event, brackets);
  input.addEventListener("scroll", () => {
    layer.style.transform = `translate(${-input.scrollLeft}px, ${-input.scrollTop}px)`;
  });
  input.addEventListener("keydown", (event) => {
    if (event.key !== "Enter" || event.shiftKey || event.ctrlKey || event.metaKey || event.altKey
      || event.isComposing) return;
    event.preventDefault();
    insert(input, `\n${indentAt(input.value.slice(0, input.selectionStart))}`);
  });

  if (!(html && show(input.value, html))) refresh();
  return { element, refresh };
}
