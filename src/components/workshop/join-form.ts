// The home page's join form. A link ?room=CODE&workshop=URL fills code and address.
const root = document.querySelector<HTMLElement>('[data-lp-ws-join]');
if (root) {
  const form = root.querySelector<HTMLFormElement>('[data-lp-ws-form]')!;
  const field = (n: string) => form.elements.namedItem(n) as HTMLInputElement;
  const error = root.querySelector<HTMLElement>('[data-lp-ws-join-error]')!;
  const joined = root.querySelector<HTMLElement>('[data-lp-ws-joined]')!;
  const params = new URLSearchParams(location.search);
  const service = params.get('workshop') || root.dataset.defaultService || '';
  field('service').value = service;
  root.querySelector<HTMLElement>('[data-lp-ws-service-field]')!.hidden = !!service;
  if (params.get('room')) {
    field('code').value = params.get('room')!;
    field('name').focus();
  }

  const show = (m: { code: string; name: string } | null) => {
    form.hidden = !!m;
    joined.hidden = !m;
    joined.textContent = m ? `You are in workshop room ${m.code} as ${m.name}. Open a chapter and press Check: the facilitator sees your results.` : '';
  };
  try {
    show(JSON.parse(localStorage.getItem('leakproof:workshop') ?? 'null'));
  } catch {}
  addEventListener('lp-workshop-change', (e) => show((e as CustomEvent).detail));

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    error.textContent = '';
    const code = field('code').value.trim();
    const name = field('name').value.trim();
    const svc = field('service').value.trim();
    if (!code) return void ((error.textContent = 'Enter the room code your facilitator shows.'), field('code').focus());
    if (!name) return void ((error.textContent = 'Enter a display name (the facilitator sees it).'), field('name').focus());
    if (!svc) {
      root.querySelector<HTMLElement>('[data-lp-ws-service-field]')!.hidden = false;
      error.textContent = 'Enter the workshop address your facilitator shows, e.g. http://192.168.1.20:4800.';
      return void field('service').focus();
    }
    const button = form.querySelector('button')!;
    button.disabled = true;
    try {
      const { join } = await import('./membership.ts');
      await join(svc, code, name);
      if (params.has('room')) history.replaceState(null, '', location.pathname);
    } catch (err) {
      error.textContent = (err as Error).message;
    } finally {
      button.disabled = false;
    }
  });
}
