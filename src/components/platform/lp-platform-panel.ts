/*
 * <lp-platform-panel> — the mock platform's dashboard (PlatformPanel.astro). It finds the
 * platform of the learner's session (data-url + data-control-token, globalThis.__leakproofPlatform,
 * or the `lp-platform-ready` document event with { url, controlToken }), loads its state through
 * the course controls, follows its live stream, and renders keys, projects, a usage chart and events.
 * Lazy: nothing is fetched until the panel is on screen.
 */
import { PlatformClient, type PlatformConnection, type StreamMessage } from '../../platform/client.ts';
import { describeScopes, formatUsd, polylinePoints, usageSeries } from '../../platform/usage-series.ts';
import { usageByKeyAndModel } from '../../platform/usage-table.ts';
import type { LedgerEntry, PlatformEvent, PlatformSnapshot } from '../../platform/types.ts';

declare global {
  interface Window {
    __leakproofPlatform?: PlatformConnection;
  }
  interface DocumentEventMap {
    'lp-platform-ready': CustomEvent<PlatformConnection>;
    'lp-platform-closed': CustomEvent<unknown>;
  }
}

const COLORS = ['#0b6bcb', '#c2410c', '#15803d', '#7c3aed', '#be185d', '#0f766e'];
const CHART = { width: 300, height: 100, buckets: 30, bucketMs: 60_000 };
const MAX_EVENTS = 100;
const DAY = 24 * 3600 * 1000;

const esc = (s: unknown) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const clock = (t: number) => new Date(t).toISOString().slice(11, 19);
const date = (t: number) => new Date(t).toISOString().slice(0, 16).replace('T', ' ');

export class LpPlatformPanel extends HTMLElement {
  #client: PlatformClient | null = null;
  #stream: AbortController | null = null;
  #state: PlatformSnapshot | null = null;
  #ledger: LedgerEntry[] = [];
  #events: PlatformEvent[] = [];
  #refused = new Map<string, number>();
  #refreshTimer: ReturnType<typeof setTimeout> | null = null;
  #visible = false;
  #pending: PlatformConnection | null = null;
  #observer: IntersectionObserver | null = null;
  /** The markup each live list last got, so an unchanged refresh leaves the DOM (and a click in progress) alone. */
  #html = new WeakMap<Element, string>();
  /** A pointer is down inside the panel: a re-render now would swallow the click that is starting. */
  #pressed = false;

  #onReady = (e: CustomEvent<PlatformConnection>) => this.connect(e.detail);
  #onClosed = () => this.#disconnect('The exercise platform stopped. It starts again when the exercise runs.');
  #onClickBound = (e: Event) => void this.#onClick(e);
  #onSubmitBound = (e: Event) => void this.#onSubmit(e);
  #onChangeBound = (e: Event) => this.#onChange(e);
  #onPointerDown = () => {
    this.#pressed = true;
  };
  #onPointerUp = () => {
    if (!this.#pressed) return;
    this.#pressed = false;
    // Whatever arrived while the pointer was down is drawn now.
    this.#scheduleRefresh();
  };

  connectedCallback(): void {
    document.addEventListener('lp-platform-ready', this.#onReady);
    document.addEventListener('lp-platform-closed', this.#onClosed);
    this.addEventListener('click', this.#onClickBound);
    this.addEventListener('submit', this.#onSubmitBound);
    this.addEventListener('change', this.#onChangeBound);
    this.addEventListener('input', this.#onChangeBound);
    this.addEventListener('pointerdown', this.#onPointerDown);
    window.addEventListener('pointerup', this.#onPointerUp);
    window.addEventListener('pointercancel', this.#onPointerUp);
    if ('IntersectionObserver' in window) {
      this.#observer = new IntersectionObserver((entries) => {
        if (!entries.some((e) => e.isIntersecting)) return;
        this.#visible = true;
        this.#observer?.disconnect();
        if (this.#pending) this.connect(this.#pending);
      });
      this.#observer.observe(this);
    } else this.#visible = true;
    const { url, controlToken } = this.dataset;
    const initial = url && controlToken ? { url, controlToken } : window.__leakproofPlatform;
    if (initial) this.connect(initial);
  }

  disconnectedCallback(): void {
    document.removeEventListener('lp-platform-ready', this.#onReady);
    document.removeEventListener('lp-platform-closed', this.#onClosed);
    this.removeEventListener('click', this.#onClickBound);
    this.removeEventListener('submit', this.#onSubmitBound);
    this.removeEventListener('change', this.#onChangeBound);
    this.removeEventListener('input', this.#onChangeBound);
    this.removeEventListener('pointerdown', this.#onPointerDown);
    window.removeEventListener('pointerup', this.#onPointerUp);
    window.removeEventListener('pointercancel', this.#onPointerUp);
    this.#observer?.disconnect();
    this.#stream?.abort();
  }

  /** Drive the platform at `connection` (replaces any previous one). */
  connect(connection: PlatformConnection): void {
    if (!this.#visible) {
      this.#pending = connection;
      return;
    }
    this.#pending = null;
    const c = this.#client?.connection;
    if (c && c.url === connection.url.replace(/\/+$/, '') && c.controlToken === connection.controlToken && this.#stream) return;
    this.#stream?.abort();
    this.#client = new PlatformClient(connection);
    this.#ledger = [];
    this.#events = [];
    this.#refused.clear();
    this.#status('Connecting to the exercise platform…');
    void this.#load();
  }

  #disconnect(message: string): void {
    this.#stream?.abort();
    this.#stream = null;
    this.#client = null;
    this.#q('[data-lp-body]')!.hidden = true;
    this.#status(message);
  }

  #q<T extends HTMLElement = HTMLElement>(sel: string): T | null {
    return this.querySelector<T>(sel);
  }

  #status(text: string): void {
    const el = this.#q('[data-lp-status]');
    if (el) el.textContent = text;
  }

  #error(text: string | null): void {
    const el = this.#q('[data-lp-error]');
    if (!el) return;
    el.textContent = text ?? '';
    el.hidden = !text;
  }

  async #load(): Promise<void> {
    const client = this.#client;
    if (!client) return;
    try {
      const [state, ledger, events, rejections] = await Promise.all([client.state(), client.ledger(), client.events(), client.rejections()]);
      if (client !== this.#client) return;
      this.#state = state;
      this.#ledger = ledger;
      this.#events = events.slice(-MAX_EVENTS);
      for (const r of rejections) this.#countRefused(r.code ?? r.reason);
      this.#q('[data-lp-body]')!.hidden = false;
      this.#status('Connected to your exercise\'s mock platform. Changes here apply to it at once.');
      this.#error(null);
      this.#renderAll();
      this.#follow(client);
    } catch (e) {
      this.#status('Could not reach the exercise platform.');
      this.#error((e as Error).message);
    }
  }

  #follow(client: PlatformClient): void {
    const controller = new AbortController();
    this.#stream = controller;
    client
      .stream((msg) => this.#onMessage(msg), controller.signal)
      .then(() => {
        if (!controller.signal.aborted && client === this.#client) this.#disconnect('The exercise platform stopped. It starts again when the exercise runs.');
      })
      .catch(() => {
        if (!controller.signal.aborted && client === this.#client) this.#disconnect('Lost the connection to the exercise platform.');
      });
  }

  #onMessage(msg: StreamMessage): void {
    if (msg.kind === 'ledger') {
      this.#ledger.push(msg.data);
      this.#scheduleRefresh();
    } else if (msg.kind === 'event') {
      this.#events.push(msg.data);
      if (this.#events.length > MAX_EVENTS) this.#events.shift();
      this.#renderEvents();
      this.#scheduleRefresh();
    } else if (msg.kind === 'rejection') {
      this.#countRefused(msg.data.code ?? msg.data.reason);
      this.#renderRefused();
    }
  }

  #countRefused(code: string): void {
    this.#refused.set(code, (this.#refused.get(code) ?? 0) + 1);
  }

  /** Many calls can arrive at once (an attack): refresh the snapshot at most every 300 ms. */
  #scheduleRefresh(): void {
    if (this.#refreshTimer) return;
    this.#refreshTimer = setTimeout(async () => {
      this.#refreshTimer = null;
      const client = this.#client;
      if (!client || this.#pressed) return; // pointerup schedules it again
      try {
        const state = await client.state();
        if (client !== this.#client) return;
        this.#state = state;
        this.#renderKeys();
        this.#renderPeople();
        this.#renderProjects();
        this.#renderChart();
        this.#renderClock();
      } catch {
        // The stream's end reports a stopped platform; a missed refresh is harmless.
      }
    }, 300);
  }

  // ---- rendering ------------------------------------------------------------------------------

  #renderAll(): void {
    this.#renderClock();
    this.#renderPeople();
    this.#renderKeys();
    this.#renderProjects();
    this.#renderChart();
    this.#renderEvents();
    this.#renderRefused();
  }

  #renderClock(): void {
    const el = this.#q('[data-lp-clock]');
    if (el && this.#state) {
      el.textContent = `${date(this.#state.now)} UTC`;
      el.setAttribute('datetime', new Date(this.#state.now).toISOString());
    }
  }

  #renderKeys(): void {
    const el = this.#q('[data-lp-keys]');
    const state = this.#state;
    if (!el || !state) return;
    const keys = state.keys.filter((k) => k.kind !== 'admin');
    const rows = keys.map((k) => {
      const status = k.status === 'revoked' ? 'revoked' : k.expired ? 'expired' : 'active';
      const actions =
        status === 'active'
          ? `<button type="button" class="lp-btn lp-btn--small" data-action="rotate" data-key="${esc(k.id)}">Rotate</button> <button type="button" class="lp-btn lp-btn--small" data-action="revoke" data-key="${esc(k.id)}">Revoke</button>`
          : '';
      return `<tr>
        <td>${esc(k.name)}<br /><code title="masked: only the last four characters are real">${esc(k.redacted)}</code>${ownerOf(state, k)}</td>
        <td>${esc(k.projectId ?? '')}${k.kind === 'service_account' ? '<br /><small>service account</small>' : ''}</td>
        <td>${esc(describeScopes(k.scopes))}</td>
        <td><span class="lp-platform__badge lp-platform__badge--${status}">${status}</span>${k.expiresAt ? `<br /><small>expires ${esc(date(k.expiresAt))}</small>` : ''}</td>
        <td>${k.requests} · ${esc(formatUsd(k.costUsd))}${k.lastUsedAt ? `<br /><small>last used ${esc(clock(k.lastUsedAt))}</small>` : ''}</td>
        <td>${actions}</td>
      </tr>`;
    });
    this.#replaceHtml(
      el,
      keys.length
      ? `<table><thead><tr><th scope="col">Key</th><th scope="col">Project</th><th scope="col">Permissions</th><th scope="col">Status</th><th scope="col">Calls · cost</th><th scope="col" aria-label="Actions"></th></tr></thead><tbody>${rows.join('')}</tbody></table>`
      : '<p>No project keys yet.</p>',
    );
    const select = this.#q<HTMLSelectElement>('[data-lp-project-select]');
    if (select && select.options.length !== state.projects.length) {
      select.innerHTML = state.projects.map((p) => `<option value="${esc(p.id)}">${esc(p.name)} (${esc(p.id)})</option>`).join('');
    }
  }

  /**
   * Replace a list that traffic refreshes (every 300 ms while calls arrive) only when its markup
   * changed, and give keyboard focus back to the same button: a Revoke or Rotate button that
   * vanished under the learner's pointer or focus lost the click or the focus before.
   */
  #replaceHtml(el: HTMLElement, html: string): void {
    if (this.#html.get(el) === html) return;
    const active = document.activeElement;
    const focused = active instanceof HTMLElement && el.contains(active) && active.dataset.action ? active : null;
    el.innerHTML = html;
    this.#html.set(el, html);
    if (focused) {
      el.querySelector<HTMLElement>(`[data-action="${CSS.escape(focused.dataset.action!)}"][data-key="${CSS.escape(focused.dataset.key ?? '')}"]`)?.focus();
    }
  }

  /** People and their roles; each select changes one role through the course controls. */
  #renderPeople(): void {
    const el = this.#q('[data-lp-people]');
    const state = this.#state;
    if (!el || !state || el.contains(document.activeElement)) return;
    const users = state.people?.users ?? [];
    if (!users.length) {
      el.innerHTML = '<p>No people in this organization (the course\'s learner is its only Owner).</p>';
      return;
    }
    const select = (attrs: string, label: string, value: string, options: string[]) =>
      `<select ${attrs} aria-label="${esc(label)}">${options.map((o) => `<option value="${esc(o)}"${o === value ? ' selected' : ''}>${o ? esc(o[0]!.toUpperCase() + o.slice(1)) : 'Not in project'}</option>`).join('')}</select>`;
    const head = state.projects.map((p) => `<th scope="col">${esc(p.name)}<br /><small>${esc(p.id)}</small></th>`).join('');
    const rows = users.map((u) => {
      const cells = state.projects
        .map((p) => `<td>${select(`data-lp-project-role data-user="${esc(u.id)}" data-project="${esc(p.id)}"`, `${u.email} in ${p.name}`, u.projects[p.id] ?? '', ['', 'owner', 'member', 'viewer'])}</td>`)
        .join('');
      const keys = state.keys.filter((k) => k.ownerUserId === u.id && k.status === 'active').length;
      return `<tr><th scope="row">${esc(u.email)}<br /><small>${keys} active key${keys === 1 ? '' : 's'}</small></th><td>${select(`data-lp-org-role data-user="${esc(u.id)}"`, `${u.email}: organization role`, u.role, ['owner', 'reader'])}</td>${cells}</tr>`;
    });
    el.innerHTML = `<table><thead><tr><th scope="col">Person</th><th scope="col">Organization</th>${head}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
  }

  #renderProjects(): void {
    const el = this.#q('[data-lp-projects]');
    const state = this.#state;
    if (!el || !state) return;
    for (const p of state.projects) {
      const existing = el.querySelector<HTMLElement>(`[data-project-box="${CSS.escape(p.id)}"]`);
      // A form the learner is editing is left alone until saved.
      if (existing?.querySelector('form[data-dirty]')) continue;
      const box = document.createElement('div');
      box.className = 'lp-platform__project';
      box.dataset.projectBox = p.id;
      box.innerHTML = this.#projectHtml(state, p);
      if (existing) existing.replaceWith(box);
      else el.append(box);
    }
  }

  #projectHtml(state: PlatformSnapshot, p: PlatformSnapshot['projects'][number]): string {
    const perms = p.modelPermissions;
    const all = !perms || (perms.mode === 'deny_list' && perms.modelIds.length === 0);
    const allowed = (id: string) => (!perms ? true : perms.mode === 'allow_list' ? perms.modelIds.includes(id) : !perms.modelIds.includes(id));
    const models = state.models
      .map((m) => `<label><input type="checkbox" name="model" value="${esc(m.id)}" ${allowed(m.id) ? 'checked' : ''} ${all ? 'disabled' : ''} /> ${esc(m.id)}</label>`)
      .join('');
    const pct = p.spendLimitUsd ? Math.min(100, (p.spentUsd / p.spendLimitUsd) * 100) : p.spendLimitUsd === 0 ? 100 : 0;
    const over = p.spendLimitUsd !== null && p.spentUsd >= p.spendLimitUsd;
    return `<form data-lp-project data-project="${esc(p.id)}">
        <strong>${esc(p.name)}</strong> <code>${esc(p.id)}</code>
        <p>Spent this month: ${esc(formatUsd(p.spentUsd))}${p.spendLimitUsd !== null ? ` of ${esc(formatUsd(p.spendLimitUsd))} (hard limit${over ? ': reached, calls get 429' : ''})` : ' (no hard limit)'}</p>
        ${p.spendLimitUsd !== null ? `<div class="lp-platform__spend" ${over ? 'data-over' : ''} role="img" aria-label="${Math.round(pct)}% of the spend limit"><span style="width:${pct}%"></span></div>` : ''}
        <fieldset><legend>Allowed models</legend>
          <label><input type="checkbox" name="allModels" ${all ? 'checked' : ''} /> All models</label>
          <div class="lp-platform__models">${models}</div>
        </fieldset>
        <label>Hard spend limit, USD per month (empty = none) <input name="spendLimitUsd" type="number" min="0" step="0.01" inputmode="decimal" value="${p.spendLimitUsd ?? ''}" /></label>
        <label>Spend alerts, USD (comma separated; alerts only notify) <input name="spendAlertsUsd" value="${esc(p.spendAlertsUsd.join(', '))}" /></label>
        <label>Alert emails (comma separated) <input name="alertRecipients" type="text" inputmode="email" value="${esc([...new Set((p.spendAlerts ?? []).flatMap((a) => a.recipients))].join(', '))}" /></label>
        <label>IP allowlist (addresses or ranges like 10.0.0.0/8, comma separated; empty = any address) <input name="ipAllowlist" value="${esc((p.ipAllowlist ?? []).join(', '))}" /></label>
        <button type="submit" class="lp-btn lp-btn--primary">Save limits</button>
      </form>`;
  }

  /** Every call so far, per key and model: a leak shows as a model the app never calls, at odd hours. */
  #renderUsageTable(): void {
    const el = this.#q('[data-lp-usage-table]');
    const state = this.#state;
    if (!el || !state) return;
    const names = new Map(state.keys.map((k) => [k.id, `${k.name} (${k.id})`]));
    const rows = usageByKeyAndModel(this.#ledger);
    el.innerHTML = rows.length
      ? `<table><thead><tr><th scope="col">Key</th><th scope="col">Model</th><th scope="col">Requests</th><th scope="col">Cost</th><th scope="col">First call</th><th scope="col">Last call</th></tr></thead><tbody>${rows
          .map((r) => `<tr><td>${esc(names.get(r.keyId) ?? r.keyId)}</td><td><code>${esc(r.model)}</code></td><td>${r.requests}</td><td>${esc(formatUsd(r.costUsd))}</td><td>${esc(date(r.first))}</td><td>${esc(date(r.last))}</td></tr>`)
          .join('')}</tbody></table>`
      : '<p>No calls yet.</p>';
  }

  #renderChart(): void {
    this.#renderUsageTable();
    const el = this.#q('[data-lp-chart]');
    const state = this.#state;
    if (!el || !state) return;
    const metric = (this.#q<HTMLSelectElement>('[data-lp-metric]')?.value ?? 'cost') as 'cost' | 'requests';
    const labels = Object.fromEntries(state.keys.map((k) => [k.id, `${k.name} ${k.redacted}`]));
    const data = usageSeries(this.#ledger, { now: state.now, bucketMs: CHART.bucketMs, buckets: CHART.buckets, metric, labels });
    if (data.series.length === 0) {
      el.innerHTML = '<p>No calls in the last 30 minutes (platform time).</p>';
      return;
    }
    const top = metric === 'cost' ? formatUsd(data.max) : `${data.max} requests`;
    const lines = data.series
      .map((s, i) => `<polyline fill="none" stroke="${COLORS[i % COLORS.length]}" stroke-width="2" points="${polylinePoints(s.values, CHART.width, CHART.height, data.max)}" />`)
      .join('');
    const summary = data.series.map((s) => `${s.label}: ${metric === 'cost' ? formatUsd(s.total) : `${s.total} requests`}`).join('; ');
    el.className = 'lp-platform__chart';
    el.innerHTML = `<svg viewBox="0 0 ${CHART.width} ${CHART.height}" preserveAspectRatio="none" role="img" aria-label="${esc(`Usage per key, last 30 minutes. ${summary}`)}">${lines}</svg>
      <p><small>Top of the chart: ${esc(top)} per minute. From ${esc(clock(data.start))} to ${esc(clock(data.start + CHART.buckets * CHART.bucketMs))} UTC.</small></p>
      <ul class="lp-platform__legend">${data.series.map((s, i) => `<li><span class="lp-platform__swatch" style="background:${COLORS[i % COLORS.length]}"></span>${esc(s.label)}: ${esc(metric === 'cost' ? formatUsd(s.total) : `${s.total} requests`)}</li>`).join('')}</ul>`;
  }

  #renderEvents(): void {
    const el = this.#q('[data-lp-events]');
    if (!el) return;
    el.innerHTML = [...this.#events]
      .reverse()
      .map((e) => `<li class="lp-platform__event--${esc(e.type)}"><time datetime="${new Date(e.time).toISOString()}">${esc(clock(e.time))}</time>${esc(e.message)}</li>`)
      .join('');
  }

  #renderRefused(): void {
    const el = this.#q('[data-lp-refused]');
    if (!el) return;
    const total = [...this.#refused.values()].reduce((a, b) => a + b, 0);
    el.textContent = total ? `Refused calls: ${total} (${[...this.#refused].map(([c, n]) => `${c} ×${n}`).join(', ')})` : 'No refused calls.';
  }

  // ---- actions -------------------------------------------------------------------------------

  async #run(action: () => Promise<unknown>): Promise<void> {
    try {
      this.#error(null);
      await action();
    } catch (e) {
      this.#error((e as Error).message);
    }
  }

  async #onClick(e: Event): Promise<void> {
    const button = (e.target as HTMLElement).closest<HTMLButtonElement>('button[data-action]');
    const client = this.#client;
    if (!button || !client) return;
    const key = button.dataset.key ?? '';
    switch (button.dataset.action) {
      case 'revoke':
        return this.#run(() => client.revokeKey(key));
      case 'rotate':
        return this.#run(async () => this.#showNewKey((await client.rotateKey(key)).value));
      case 'advance-day':
        return this.#run(() => client.advanceClock(DAY));
      case 'advance-month':
        return this.#run(() => client.advanceClock(31 * DAY));
      case 'simulate-burst':
        return this.#run(() => client.burst({}));
      case 'simulate-alert':
        return this.#run(() => client.partnerAlert({}));
      case 'copy-new-key': {
        const value = this.#q('[data-lp-new-key-value]')?.textContent ?? '';
        return this.#run(() => navigator.clipboard.writeText(value));
      }
      case 'hide-new-key':
        this.#showNewKey(null);
    }
  }

  #showNewKey(value: string | null): void {
    const box = this.#q('[data-lp-new-key]');
    const code = this.#q('[data-lp-new-key-value]');
    if (!box || !code) return;
    code.textContent = value ?? '';
    box.hidden = value === null;
  }

  #onChange(e: Event): void {
    const target = e.target as HTMLInputElement;
    const client = this.#client;
    if (e.type === 'change' && client && target.matches('[data-lp-org-role], [data-lp-project-role]')) {
      const user = target.dataset.user!;
      const change = target.matches('[data-lp-org-role]')
        ? () => client.setOrgRole(user, target.value as 'owner' | 'reader')
        : () => client.setProjectRole(target.dataset.project!, user, (target.value || null) as 'owner' | 'member' | 'viewer' | null);
      void this.#run(async () => {
        try {
          await change();
        } finally {
          target.blur();
          this.#scheduleRefresh();
        }
      });
      return;
    }
    if (target.matches('[data-lp-metric]')) return this.#renderChart();
    if (target.name === 'permissions') {
      const scopes = this.#q('[data-lp-scopes]');
      if (scopes) scopes.hidden = target.value !== 'restricted';
    }
    const form = target.closest<HTMLFormElement>('form[data-lp-project]');
    if (form) {
      form.dataset.dirty = '';
      if (target.name === 'allModels') for (const box of form.querySelectorAll<HTMLInputElement>('input[name="model"]')) box.disabled = target.checked;
    }
  }

  async #onSubmit(e: Event): Promise<void> {
    const form = e.target as HTMLFormElement;
    const client = this.#client;
    if (!client) return;
    if (form.matches('[data-lp-create-project]')) {
      e.preventDefault();
      const name = String(new FormData(form).get('name') ?? '').trim();
      if (!name) return this.#error('Give the new project a name.');
      await this.#run(async () => {
        await client.createProject(name);
        form.reset();
        this.#scheduleRefresh();
      });
    } else if (form.matches('[data-lp-create-key]')) {
      e.preventDefault();
      const data = new FormData(form);
      const permissions = data.get('permissions');
      const scopes = permissions === 'all' ? [] : permissions === 'read' ? ['api.all.read'] : (data.getAll('scope') as string[]);
      if (permissions === 'restricted' && scopes.length === 0) return this.#error('A restricted key needs at least one permission ticked.');
      const days = Number(data.get('expiresDays'));
      await this.#run(async () => {
        const kind = data.get('owner') === 'service_account' ? 'service_account' : 'project';
        const created = await client.createKey({ projectId: String(data.get('projectId') ?? ''), name: String(data.get('name') ?? ''), kind, scopes, expiresInSeconds: days > 0 ? days * 86400 : undefined });
        this.#showNewKey(created.value);
      });
    } else if (form.matches('[data-lp-project]')) {
      e.preventDefault();
      const data = new FormData(form);
      const limit = String(data.get('spendLimitUsd') ?? '').trim();
      const alerts = String(data.get('spendAlertsUsd') ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
        .map(Number);
      if (alerts.some((n) => !(n > 0))) return this.#error('Spend alerts must be amounts above 0, separated by commas (e.g. 1, 4).');
      const recipients = String(data.get('alertRecipients') ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      if (recipients.some((r) => !/^[^\s@]+@[^\s@]+$/.test(r))) return this.#error('Alert emails must be addresses like you@example.com, separated by commas.');
      const ips = String(data.get('ipAllowlist') ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      await this.#run(async () => {
        await client.updateProject(form.dataset.project!, {
          allowedModels: data.get('allModels') ? null : (data.getAll('model') as string[]),
          spendLimitUsd: limit === '' ? null : Number(limit),
          spendAlerts: alerts.map((thresholdUsd) => ({ thresholdUsd, recipients })),
          ipAllowlist: ips.length ? ips : null,
        });
        delete form.dataset.dirty;
        this.#scheduleRefresh();
      });
    }
  }
}

if (!customElements.get('lp-platform-panel')) customElements.define('lp-platform-panel', LpPlatformPanel);

/** Whose key it is, when the platform knows a person for it. */
function ownerOf(state: PlatformSnapshot, k: PlatformSnapshot['keys'][number]): string {
  const u = k.ownerUserId ? state.people?.users.find((p) => p.id === k.ownerUserId) : undefined;
  return u ? `<br /><small>belongs to ${esc(u.email)}</small>` : '';
}
