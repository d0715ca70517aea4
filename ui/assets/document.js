// The page's own fixes, installed once per browser tab. ui/assets/__init__.py calls this function with the session's
// values (config: tableLabel, switchKey, tableClass, switchLangs, unknownPage) after setting the document's language.
((config) => {
  window.__ksTableLabel = config.tableLabel;
  // An address naming no page: Streamlit runs Översikt under an English "Page not found" dialog that makes the page
  // inert until it is closed, while the page itself says so in Swedish (ui.frame). The dialog opens as this run
  // starts, so it is closed if it shows within a few seconds; a dialog opened later (the ⋮ menu's) is left alone.
  if (config.unknownPage) window.__ksCloseDialogUntil = Date.now() + 5000;
  if (window.__ksDocumentFixes) return;
  window.__ksDocumentFixes = true;
  const fix = () => {
    if (window.__ksCloseDialogUntil) {
      const close = document.querySelector('[role="dialog"] > button');
      if (close || Date.now() > window.__ksCloseDialogUntil) window.__ksCloseDialogUntil = 0;
      if (close) close.click();
    }
    // Each language's name in the switch is in that language (WCAG 3.1.2 Language of Parts).
    document.querySelectorAll('.st-key-' + config.switchKey + ' [role="radio"]').forEach((option, i) => {
      const lang = config.switchLangs[i];
      if (lang && option.lang !== lang) option.lang = lang;
    });
    document.querySelectorAll('.' + config.tableClass).forEach((box) => {
      [box, box.querySelector("table")].forEach((node) => {
        if (node && !watched.has(node)) { watched.add(node); sizes.observe(node); }
      });
    });
  };
  // Whether a box scrolls is read when a box or its table has changed size, after the browser's own layout:
  // reading scrollWidth from a DOM change instead forced an extra layout on every redraw (~10 ms a change).
  const watched = new WeakSet();
  const check = (box) => {
    const scrolls = box.scrollWidth > box.clientWidth + 1 || box.scrollHeight > box.clientHeight + 1;
    if (scrolls && !box.hasAttribute("tabindex")) {
      const table = box.querySelector("table");
      box.tabIndex = 0;
      box.setAttribute("role", "group");
      box.setAttribute("aria-label", (table && table.getAttribute("aria-label")) || window.__ksTableLabel);
      box.dataset.ksScroll = "1";
    } else if (!scrolls && box.dataset.ksScroll) {
      ["tabindex", "role", "aria-label", "data-ks-scroll"].forEach((name) => box.removeAttribute(name));
    }
  };
  const sizes = new ResizeObserver((entries) => {
    new Set(entries.map((entry) => entry.target.closest('.' + config.tableClass))).forEach((box) => {
      if (box) check(box);
    });
  });
  // Streamlit makes every write of the address a new entry of the browser's history, also the ones no reader asked
  // for: a page's view filled in right after it opened, and a screen switch across pages (written on the old page's
  // path first). The Back button then showed the same view again, or bounced back to the screen it came from. Now
  // one action of the reader (a press, click or input) makes at most one entry: a write without one since the last
  // entry replaces that entry instead.
  let asked = false;
  ["pointerdown", "keydown", "click", "input", "change"].forEach((type) =>
    document.addEventListener(type, () => { asked = true; }, true));
  const push = window.history.pushState;
  window.history.pushState = function (state, title, url) {
    if (!asked) return window.history.replaceState(state, title, url);
    asked = false;
    return push.apply(this, arguments);
  };
  window.addEventListener("popstate", () => { asked = false; });
  let queued = false;
  const schedule = () => {
    if (!queued) { queued = true; requestAnimationFrame(() => { queued = false; fix(); }); }
  };
  new MutationObserver(schedule).observe(document.body, {childList: true, subtree: true});
  schedule();
})
