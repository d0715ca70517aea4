(() => {
  if (window.__ksPresentationKeys) return;
  window.__ksPresentationKeys = true;
  const keys = {ArrowRight: "next", PageDown: "next", ArrowLeft: "prev", PageUp: "prev"};
  document.addEventListener("keydown", (event) => {
    const name = keys[event.key];
    if (!name || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey || event.defaultPrevented) return;
    const target = event.target;
    if (target instanceof Element && target.closest(
        "input, textarea, select, [contenteditable=''], [contenteditable='true'], [role=slider], [role=listbox], [role=combobox]")) return;
    const button = document.querySelector(".st-key-ks_pres_" + name + " button");
    if (!button || button.disabled) return;
    event.preventDefault();
    button.click();
  });
})();

