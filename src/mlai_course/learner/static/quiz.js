// The self-check front-end (an anywidget ES module). Python (mlai_course.quiz) owns the questions, evaluates
// answers and saves results; this file draws accessible controls and sends the learner's answers.
//
// - Each question is a <fieldset> whose <legend> is the question: native radios sharing one name (one Tab
//   stop, arrow keys choose), checkboxes, a labelled text box, or a labelled <select> per item; then buttons,
//   then a feedback region (role="status", so screen readers read the feedback when it arrives).
// - JupyterLab's command-mode shortcuts act on any focused element in a notebook that is not a text field:
//   "m" would turn the cell into Markdown, "a" insert a cell, ArrowDown jump to the next cell. Lumino skips
//   shortcuts for a key pressed on an element with data-lm-suppress-shortcuts, so every focusable element here
//   has it: keys reach the widget, never the notebook. Two exceptions: Escape moves the focus back to the
//   notebook, and Ctrl+S / Cmd+S still saves. Enter in a number box presses its question's Check.
// - A view restored from a saved notebook has no kernel behind it. The view pings Python; until a pong comes
//   the controls are disabled, and when none comes while the kernel is idle the view says to run the cell.

const SUPPRESS = "data-lm-suppress-shortcuts";
const PING_EVERY_MS = 1000;
const OFFLINE_AFTER_MS = 4000; // of an idle (or absent) kernel without a pong
const OFFLINE_TEXT = "Run this cell to answer again: your saved results come back.";
const WAITING_TEXT = "Waiting for Python to finish running other cells…";
const CONNECTING_TEXT = "Connecting to Python…";
const NO_CHOICE = "(choose)";

let viewCount = 0;

function h(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "text") node.textContent = value;
    else if (name === "html") node.innerHTML = value;
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  node.append(...children);
  return node;
}

// A focusable element: keys pressed on it stay in the widget.
function control(tag, attributes = {}, ...children) {
  return h(tag, { ...attributes, [SUPPRESS]: "true" }, ...children);
}

function choiceInputs(view, uid, type) {
  const name = `${uid}-q${view.number}`;
  const inputs = view.options.map((text, index) =>
    control("input", { type, name, value: index, id: `${name}-${index}` }),
  );
  const list = h(
    "div",
    { class: "mlai-options" },
    ...inputs.map((input, index) =>
      h("label", { class: "mlai-option", for: input.id }, input, h("span", { text: view.options[index] })),
    ),
  );
  return { node: list, inputs };
}

// Each kind of question: its inputs, how to read the answer Python expects, and how to show a saved one.
const KINDS = {
  single_choice(view, uid) {
    const { node, inputs } = choiceInputs(view, uid, "radio");
    return {
      node,
      controls: inputs,
      read: () => {
        const checked = inputs.findIndex((input) => input.checked);
        return checked === -1 ? null : checked;
      },
      write: (answer) => inputs.forEach((input, index) => (input.checked = index === answer)),
    };
  },
  multiple_select(view, uid) {
    const { node, inputs } = choiceInputs(view, uid, "checkbox");
    return {
      node,
      controls: inputs,
      read: () => inputs.flatMap((input, index) => (input.checked ? [index] : [])),
      write: (answer) => inputs.forEach((input, index) => (input.checked = answer.includes(index))),
    };
  },
  numeric(view, uid) {
    const id = `${uid}-q${view.number}-number`;
    const input = control("input", { type: "text", id, inputmode: "decimal", autocomplete: "off", size: 12 });
    const node = h("div", { class: "mlai-item mlai-number" }, h("label", { for: id, text: view.label }), input);
    return { node, controls: [input], read: () => input.value, write: (answer) => (input.value = answer) };
  },
  classify: perItem,
  likert: perItem,
};

function perItem(view, uid) {
  const selects = view.items.map((item, index) =>
    control(
      "select",
      { id: `${uid}-q${view.number}-item${index}` },
      h("option", { value: "", text: NO_CHOICE }),
      ...view.choices.map((choice, number) => h("option", { value: number, text: choice })),
    ),
  );
  const node = h(
    "div",
    { class: "mlai-items" },
    ...selects.map((select, index) =>
      h("div", { class: "mlai-item" }, h("label", { for: select.id, text: view.items[index] }), select),
    ),
  );
  return {
    node,
    controls: selects,
    read: () => selects.map((select) => (select.value === "" ? null : Number(select.value))),
    write: (answer) =>
      selects.forEach((select, index) => (select.value = answer[index] === null ? "" : String(answer[index]))),
  };
}

function send(model, message) {
  try {
    model.send(message);
  } catch (error) {
    // No comm (a view restored without its kernel): the ping that gets no answer tells the learner.
  }
}

function renderQuestion(view, uid, model) {
  const legendId = `${uid}-q${view.number}-legend`;
  const kind = KINDS[view.type](view, uid);
  const check = control("button", { type: "button", title: view.check_tooltip, text: "Check" });
  const buttons = [check];
  if (view.has_answer) {
    buttons.push(control("button", { type: "button", title: view.answer_tooltip, text: "Show answer" }));
  }
  const feedback = h("div", { class: "mlai-feedback", role: "status", "aria-live": "polite" });
  const node = h(
    "fieldset",
    { class: "mlai-question", "data-question": view.id },
    h(
      "legend",
      { id: legendId },
      h("strong", { text: `${view.number}. ${view.prompt}` }),
      " ",
      h("em", { text: view.hint }),
    ),
    kind.node,
    h("div", { class: "mlai-buttons" }, ...buttons),
    feedback,
  );
  const saved = model.get("answers")[view.id];
  if (saved !== undefined && saved !== null) kind.write(saved);

  const remember = () => {
    model.set("answers", { ...model.get("answers"), [view.id]: kind.read() });
    try {
      model.save_changes();
    } catch (error) {
      // No comm: nothing to save to.
    }
  };
  kind.controls.forEach((input) => input.addEventListener("change", remember));
  check.addEventListener("click", () => send(model, { type: "check", id: view.id, answer: kind.read() }));
  if (view.type === "numeric") {
    // Enter in the text box checks the answer, as in any form (a disabled Check ignores the click).
    kind.controls[0].addEventListener("keydown", (event) => {
      if (event.key !== "Enter") return;
      event.preventDefault();
      remember();
      check.click();
    });
  }
  if (buttons[1]) buttons[1].addEventListener("click", () => send(model, { type: "show_answer", id: view.id }));
  const showFeedback = () => (feedback.innerHTML = model.get("feedback")[view.id] || "");
  showFeedback();
  return { node, controls: [...kind.controls, ...buttons], showFeedback };
}

// Let one key event through to JupyterLab: take the attribute off the target and its ancestors up to the
// widget until the event has bubbled to the document (where JupyterLab handles keys), then put it back.
function passToJupyterLab(event, root) {
  const marked = [];
  for (let node = event.target; node && node !== root.parentElement; node = node.parentElement) {
    if (node.hasAttribute(SUPPRESS)) {
      node.removeAttribute(SUPPRESS);
      marked.push(node);
    }
  }
  setTimeout(() => marked.forEach((node) => node.setAttribute(SUPPRESS, "true")), 0);
}

function leaveToNotebook(root) {
  const target = root.closest(".jp-Cell") || root.closest(".jp-Notebook");
  if (target) {
    if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
    target.focus();
  } else {
    document.activeElement.blur();
  }
}

function render({ model, el, signal }) {
  viewCount += 1;
  const uid = `mlai-${viewCount}-${Math.random().toString(36).slice(2, 8)}`;
  const titleId = `${uid}-title`;
  const notice = h("p", { class: "mlai-notice", role: "status" });
  const questions = model.get("views").map((view) => renderQuestion(view, uid, model));
  const summary = h("div", { class: "mlai-summary", role: "status", html: model.get("summary") });
  const controls = questions.flatMap((question) => question.controls);
  const root = h(
    "section",
    { class: "mlai-quiz", "aria-labelledby": titleId, [SUPPRESS]: "true" },
    h("h3", { id: titleId, text: model.get("title") }),
    h("div", { class: "mlai-intro", html: model.get("intro") }),
    notice,
    ...questions.map((question) => question.node),
    summary,
  );
  if (model.get("action_label")) {
    const action = control("button", {
      type: "button",
      class: "mlai-action",
      title: model.get("action_tooltip"),
      text: model.get("action_label"),
    });
    const result = h("div", { class: "mlai-result", role: "status", html: model.get("action_result") });
    action.addEventListener("click", () => send(model, { type: "action" }));
    model.on("change:action_result", () => (result.innerHTML = model.get("action_result")));
    controls.push(action);
    root.append(h("div", { class: "mlai-buttons" }, action), result);
  }
  model.on("change:feedback", () => questions.forEach((question) => question.showFeedback()));
  model.on("change:summary", () => (summary.innerHTML = model.get("summary")));

  root.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      event.preventDefault();
      leaveToNotebook(root);
    } else if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "s") {
      passToJupyterLab(event, root);
    }
  });

  // Connection: controls stay disabled until Python answers a ping.
  let connected = false;
  let waited = 0;
  const setState = (state, text) => {
    root.dataset.connection = state;
    notice.textContent = text;
    controls.forEach((element) => (element.disabled = state !== "live"));
  };
  model.on("msg:custom", (message) => {
    if (message && message.type === "pong" && !connected) {
      connected = true;
      clearInterval(timer);
      setState("live", "");
    }
  });
  const kernelStatus = () => {
    const kernel = model.widget_manager && model.widget_manager.kernel;
    return kernel ? kernel.status : "none";
  };
  const timer = setInterval(() => {
    if (connected) return;
    const status = kernelStatus();
    if (status === "idle" || status === "none" || status === "dead" || status === "unknown") {
      waited += PING_EVERY_MS;
      if (waited >= OFFLINE_AFTER_MS) setState("offline", OFFLINE_TEXT);
      else setState("connecting", CONNECTING_TEXT);
    } else {
      waited = 0;
      setState("waiting", WAITING_TEXT);
    }
    send(model, { type: "ping" });
  }, PING_EVERY_MS);
  setState("connecting", "");
  send(model, { type: "ping" });
  el.append(root);

  const stop = () => clearInterval(timer);
  if (signal) signal.addEventListener("abort", stop);
  return stop;
}

export default { render };
