(() => {
  if (window.__ksShareCopy) return;
  window.__ksShareCopy = true;
  const copy = async (text) => {
    try { await navigator.clipboard.writeText(text); return true; } catch (e) { /* http: no clipboard API */ }
    const area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    let done = false;
    try { done = document.execCommand("copy"); } catch (e) { done = false; }
    area.remove();
    return done;
  };
  // A widget change redraws only the page's content, not this link (ui.run_page): keep the link in step with the
  // address bar, which Streamlit updates through the History API after each run.
  const sync = () => {
    const url = window.location.href;
    document.querySelectorAll("[data-ks-share]").forEach((box) => {
      const link = box.querySelector(".ks-share-url");
      const button = box.querySelector("[data-ks-copy]");
      if (!link || !button || button.dataset.ksCopy === url) return;
      link.href = url;
      link.textContent = url;
      button.dataset.ksCopy = url;
      const status = box.querySelector(".ks-share-status");
      if (status) status.textContent = "";
    });
  };
  ["pushState", "replaceState"].forEach((name) => {
    const original = window.history[name];
    window.history[name] = function (...args) {
      const result = original.apply(this, args);
      sync();
      return result;
    };
  });
  window.addEventListener("popstate", sync);
  document.addEventListener("click", async (event) => {
    const button = event.target instanceof Element && event.target.closest("[data-ks-copy]");
    if (!button) return;
    const done = await copy(button.dataset.ksCopy);
    const status = button.parentElement.querySelector(".ks-share-status");
    if (status) status.textContent = done ? status.dataset.ok : status.dataset.failed;
  });
})();

