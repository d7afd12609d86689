// The demo manager's client script. Like many single-page managers it navigates between
// units without reloading: the address changes first (history.pushState), the new content
// arrives a moment later and replaces <main>. Content scripts must cope with both steps.
(() => {
  const main = () => document.getElementById('app');

  async function show(url, push) {
    if (push) history.pushState({ spa: true }, '', url);
    main().setAttribute('aria-busy', 'true');
    let res;
    try {
      res = await fetch(url, { headers: { 'X-Requested-With': 'spa' } });
    } catch {
      location.assign(url);
      return;
    }
    // Another navigation started meanwhile: its answer wins.
    if (new URL(url, location.href).href !== location.href) return;
    const doc = new DOMParser().parseFromString(await res.text(), 'text/html');
    const next = doc.getElementById('app');
    if (!next) return location.assign(url);
    document.title = doc.title;
    main().replaceChildren(...Array.from(next.childNodes).map((n) => document.importNode(n, true)));
    main().removeAttribute('aria-busy');
    window.scrollTo(0, 0);
  }

  document.addEventListener('click', (e) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    const target = e.target instanceof Element ? e.target : null;
    const link = target?.closest('a[data-spa]');
    if (link) {
      e.preventDefault();
      void show(link.href, true);
      return;
    }
    const opener = target?.closest('[data-open-dialog]');
    if (opener) document.getElementById(opener.getAttribute('data-open-dialog'))?.showModal();
    const closer = target?.closest('[data-close-dialog]');
    if (closer) closer.closest('dialog')?.close();
  });

  window.addEventListener('popstate', () => void show(location.href, false));
})();
