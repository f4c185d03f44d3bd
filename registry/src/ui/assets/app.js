// modreg UI: progressive enhancement only. Pages work without this file; it adds copy
// buttons and search as you type. Served from this origin (the CSP allows no inline script).
(function () {
  'use strict';

  // Copy buttons: <button data-copy="ID" data-status="ID" hidden>, revealed here.
  for (const button of document.querySelectorAll('button[data-copy]')) {
    const source = document.getElementById(button.dataset.copy);
    const status = document.getElementById(button.dataset.status);
    if (!source || !navigator.clipboard) continue;
    button.hidden = false;
    button.addEventListener('click', async () => {
      try {
        await navigator.clipboard.writeText(source.textContent);
        button.textContent = 'Copied';
        if (status) status.textContent = 'Copied the module block to the clipboard.';
      } catch (_) {
        if (status) status.textContent = 'Copying failed: select the text and copy it by hand.';
      }
      setTimeout(() => { button.textContent = 'Copy'; }, 2000);
    });
  }

  // Search as you type: fetch the same page for the new query and swap in its results.
  const form = document.getElementById('search');
  if (!form || !document.getElementById('results')) return;
  let timer = 0;
  let inFlight = null;
  const refresh = async () => {
    const params = new URLSearchParams();
    for (const [key, value] of new FormData(form)) {
      if (value) params.append(key, value);
    }
    const url = form.getAttribute('action') + (params.size ? '?' + params : '');
    if (inFlight) inFlight.abort();
    inFlight = new AbortController();
    try {
      const response = await fetch(url, { signal: inFlight.signal, headers: { Accept: 'text/html' } });
      if (!response.ok) return; // keep the current results; submitting still works
      const page = new DOMParser().parseFromString(await response.text(), 'text/html');
      const fresh = page.getElementById('results');
      const current = document.getElementById('results');
      if (fresh && current) {
        current.replaceWith(document.importNode(fresh, true));
        history.replaceState(null, '', url);
      }
    } catch (error) {
      if (error.name !== 'AbortError') throw error;
    }
  };
  const soon = () => { clearTimeout(timer); timer = setTimeout(refresh, 200); };
  form.querySelector('input[name="q"]')?.addEventListener('input', soon);
  for (const select of form.querySelectorAll('select')) select.addEventListener('change', refresh);
})();
