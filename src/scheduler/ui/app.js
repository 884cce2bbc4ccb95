// Borealis web UI (docs/ui.md): renders the page its path names from the scheduler's JSON
// API. Data is shown with textContent only, never as HTML.
'use strict';

const TOKEN_KEY = 'borealis-token';
const PAGE_SIZE = 100;      // instances per job page: bounded with 10,000 tasks
const MAX_EVENTS = 200;     // task events shown on a job page
const LOG_POLL_MS = 500;    // a followed log is read this often
const LOG_TAIL_BYTES = 32768;
const LOG_KEEP_CHARS = 200000;
const USAGE_POLL_MS = 5000; // a task's usage graphs are redrawn this often
const SVG_NS = 'http://www.w3.org/2000/svg';

class ApiError extends Error {
  constructor(status, message) { super(message); this.status = status; }
}

// GET `path` from the scheduler with the session's token; JSON, or the bytes with `asBytes`.
async function api(path, asBytes) {
  const headers = {};
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (token) headers.Authorization = 'Bearer ' + token;
  const r = await fetch(path, {headers});
  if (!r.ok) {
    let message = r.status + ' ' + r.statusText;
    try { message = (await r.json()).error.message; } catch (e) { /* not our error body */ }
    throw new ApiError(r.status, message);
  }
  return asBytes ? new Uint8Array(await r.arrayBuffer()) : r.json();
}

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === 'class') e.className = v; else e.setAttribute(k, v);
  }
  for (const c of children) {
    if (c === null || c === undefined) continue;
    e.append(c instanceof Node ? c : String(c));
  }
  return e;
}
const link = (href, text) => el('a', {href}, text);
const stateCell = (s) => el('span', {class: 'state-' + s}, s);

function table(headers, rows) {
  return el('table', {}, el('tr', {}, ...headers.map((h) => el('th', {}, h))),
            ...rows.map((r) => el('tr', {}, ...r.map((c) => el('td', {}, c)))));
}

function bytes(n) {
  if (n === undefined || n === null) return '';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return n.toFixed(i ? 1 : 0) + ' ' + units[i];
}
function duration(ms) {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 120) return s + 's';
  if (s < 7200) return Math.floor(s / 60) + 'm';
  if (s < 172800) return Math.floor(s / 3600) + 'h';
  return Math.floor(s / 86400) + 'd';
}
const when = (ms) => (ms ? new Date(ms).toISOString().replace('T', ' ').slice(0, 19) : '');
const ports = (p) => Object.entries(p || {}).map(([k, v]) => k + '=' + v).join(' ');
const jobPath = (k) => k.role + '/' + k.env + '/' + k.job;
const apiJob = (k) => '/api/v1/jobs/' + jobPath(k);
const enc = encodeURIComponent;

// Since when the task runs: its last RUNNING event.
function uptime(task) {
  if (task.status !== 'RUNNING') return '';
  const ev = (task.events || []).filter((e) => e.status === 'RUNNING').pop();
  return ev ? duration(Date.now() - ev.ts_ms) : '';
}

function show(...nodes) {
  const main = document.getElementById('main');
  main.replaceChildren(...nodes);
}

// --- pages ---

async function jobsPage() {
  const {jobs} = await api('/api/v1/jobs');
  const byRole = new Map();
  for (const j of jobs) {
    if (!byRole.has(j.role)) byRole.set(j.role, []);
    byRole.get(j.role).push(j);
  }
  const sections = [el('h1', {}, 'Jobs')];
  if (!jobs.length) sections.push(el('p', {class: 'muted'}, 'No jobs you may see.'));
  for (const role of [...byRole.keys()].sort()) {
    sections.push(el('h2', {}, role));
    sections.push(table(['job', 'status', 'instances', 'tasks by state'],
        byRole.get(role).map((j) => [
          link('/scheduler/' + j.role + '/' + j.environment + '/' + j.name,
               j.environment + '/' + j.name),
          stateCell(j.status), j.instances,
          Object.entries(j.state_counts || {}).map(([s, n]) => s + ' ' + n).join(', '),
        ])));
  }
  show(...sections);
}

async function jobPage(k) {
  const params = new URLSearchParams(location.search);
  const page = Math.max(0, parseInt(params.get('page') || '0', 10) || 0);
  const first = page * PAGE_SIZE, last = first + PAGE_SIZE - 1;
  const range = '?instances=' + first + '-' + last;
  const [{job}, active, all, updates] = await Promise.all([
    api(apiJob(k)), api(apiJob(k) + '/tasks' + range + '&active=true'),
    api(apiJob(k) + '/tasks' + range), api(apiJob(k) + '/updates'),
  ]);
  const pages = Math.max(1, Math.ceil(job.instances / PAGE_SIZE));
  const pager = el('p', {class: 'pager'},
      page > 0 ? link('?page=' + (page - 1), '‹ previous') : null,
      el('span', {}, 'instances ' + first + '–' + Math.min(last, job.instances - 1) + ' of ' +
         job.instances + ' (page ' + (page + 1) + ' of ' + pages + ')'),
      page + 1 < pages ? link('?page=' + (page + 1), 'next ›') : null);
  const instances = table(
      ['instance', 'state', 'host', 'ports', 'uptime', 'cpu', 'memory', 'config', 'message'],
      active.tasks.map((t) => [
        link('/scheduler/' + jobPath(k) + '/' + t.instance_id, t.instance_id),
        stateCell(t.status), t.host || '', ports(t.ports), uptime(t),
        t.usage ? t.usage.cpu_rate.toFixed(3) : '', t.usage ? bytes(t.usage.memory_bytes) : '',
        (t.config_id || '').slice(0, 12), t.message,
      ]));
  const events = [];
  for (const t of all.tasks)
    (t.events || []).forEach((e, i) => events.push({t, e, i}));
  // Newest first; a task's events of the same millisecond in their order, reversed.
  events.sort((a, b) => b.e.ts_ms - a.e.ts_ms || b.i - a.i);
  const eventRows = events.slice(0, MAX_EVENTS).map(({t, e}) => [
    when(e.ts_ms), t.instance_id, el('span', {title: t.task_id}, t.task_id.slice(-8)),
    stateCell(e.status), e.message,
  ]);
  show(
      el('h1', {}, job.key), el('p', {}, stateCell(job.status), ' · ', job.instances,
                               ' instances · ', job.service ? 'service' : 'batch',
                               job.created_by ? ' · created by ' + job.created_by : ''),
      el('h2', {}, 'Instances'), pager, instances,
      el('h2', {}, 'Updates'),
      table(['update', 'status', 'user', 'progress', 'started', 'last change'],
            updates.updates.map((u) => [
              (u.update_id || '').slice(0, 12), stateCell(u.status), u.user || '',
              u.instances_done + '/' + u.instances_total +
                  (u.instances_failed ? ', ' + u.instances_failed + ' failed' : ''),
              when(u.created_ms), when(u.updated_ms),
            ])),
      el('h2', {}, 'Task events'),
      el('p', {class: 'muted'}, 'Newest first, the ' + MAX_EVENTS + ' latest of this page.'),
      table(['time', 'instance', 'task', 'state', 'reason'], eventRows),
      el('h2', {}, 'JobSpec'), el('pre', {}, JSON.stringify(job.spec, null, 2)));
}

// Follows one log of a task through the scheduler's task routes: from the last
// LOG_TAIL_BYTES, then every LOG_POLL_MS what was appended. A refusal or failure is shown
// in `status` (and the reading goes on: the agent may come back).
function followLog(base, proc, run, stream, pre, status) {
  const decoder = new TextDecoder();
  let offset = null, stopped = false, timer = null;
  const logPath = base + '/logs/' + enc(proc) + '?stream=' + stream + '&run=' + run;
  async function step() {
    try {
      if (offset === null) {
        const dir = await api(base + '/files?path=' + enc('.logs/' + proc + '/' + run));
        const f = (dir.entries || []).find((e) => e.name === stream);
        offset = f ? Math.max(0, f.size - LOG_TAIL_BYTES) : 0;
      }
      const data = await api(logPath + '&offset=' + offset, true);
      offset += data.length;
      if (data.length) {
        pre.textContent = (pre.textContent + decoder.decode(data, {stream: true}))
                              .slice(-LOG_KEEP_CHARS);
        pre.scrollTop = pre.scrollHeight;
      }
      pre.dataset.state = 'following';
      status.textContent = '';
    } catch (e) {
      // 404: the process has not written this file yet.
      if (!(e instanceof ApiError) || e.status !== 404)
        status.textContent = (e.status === 403 ? 'Not permitted: ' : 'Error: ') + e.message;
    }
    if (!stopped) timer = setTimeout(step, LOG_POLL_MS);
  }
  step();
  return () => { stopped = true; clearTimeout(timer); };
}

// The task directory on its agent: a listing to walk, and the head of a file to read.
function sandboxBrowser(base) {
  const where = el('p', {id: 'sandbox-path'});
  const listing = el('div', {id: 'sandbox'});
  const content = el('pre', {id: 'sandbox-file'});
  // `isFile` from the parent's listing: a file's bytes are not JSON.
  async function open(path, isFile) {
    where.textContent = '/' + path;
    content.textContent = '';
    try {
      const query = base + '/files?path=' + enc(path);
      if (isFile) {
        const data = await api(query + '&length=' + LOG_TAIL_BYTES, true);
        content.textContent = new TextDecoder().decode(data);
        return;
      }
      const dir = await api(query);
      const up = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
      const rows = dir.entries.map((e) => {
        const name = el('a', {href: '#'}, e.name + (e.type === 'directory' ? '/' : ''));
        const child = path ? path + '/' + e.name : e.name;
        name.onclick = (ev) => { ev.preventDefault(); open(child, e.type === 'file'); };
        return [name, e.type, bytes(e.size), when(e.mtime_ms)];
      });
      const parent = el('a', {href: '#'}, '..');
      parent.onclick = (ev) => { ev.preventDefault(); open(up, false); };
      listing.replaceChildren(path ? el('p', {}, parent) : '',
                              table(['name', 'type', 'size', 'modified'], rows),
                              dir.truncated ? el('p', {class: 'muted'}, 'first 10000 entries') : '');
    } catch (e) {
      listing.replaceChildren(el('p', {class: 'error'},
          (e.status === 403 ? 'Not permitted: ' : 'Error: ') + e.message));
    }
  }
  open('', false);
  return [el('h2', {}, 'Sandbox'), where, listing, content];
}

function svg(tag, attrs) {
  const e = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  return e;
}

// A line chart of one figure of a task's usage samples, scaled to its own maximum; the
// polyline's points (one per sample) are what update() draws.
function lineChart(id, title, format) {
  const W = 300, H = 90;
  const line = svg('polyline', {class: 'chart-line', points: ''});
  const label = svg('text', {class: 'chart-label', x: 4, y: H + 16});
  const root = svg('svg', {id, class: 'chart', width: W, height: H + 22,
                           viewBox: '0 0 ' + W + ' ' + (H + 22)});
  root.append(svg('rect', {class: 'chart-frame', x: 0, y: 0, width: W, height: H}), line, label);
  label.textContent = title + ': no samples yet';
  function update(samples, value) {
    const points = samples.map((s) => [s.sampled_ms, value(s)]).filter((p) => p[1] >= 0);
    if (!points.length) return;
    const t0 = points[0][0], span = Math.max(1, points[points.length - 1][0] - t0);
    const max = Math.max(...points.map((p) => p[1])) || 1;
    line.setAttribute('points', points.map(([t, v]) =>
      (points.length === 1 ? W : (t - t0) / span * W).toFixed(1) + ',' +
      (H - v / max * (H - 4)).toFixed(1)).join(' '));
    root.dataset.points = points.length;
    label.textContent = title + ': ' + format(points[points.length - 1][1]) +
                        ' (max ' + format(max) + ', last ' + duration(span) + ')';
  }
  return {root, update};
}

// The task's cpu, memory and disk over its recent samples (the scheduler keeps the last
// ones its agent reported), redrawn every USAGE_POLL_MS while the page shows them.
function usageGraphs(base) {
  const cpu = lineChart('usage-cpu', 'cpu', (v) => v.toFixed(3) + ' cores');
  const mem = lineChart('usage-memory', 'memory', bytes);
  const disk = lineChart('usage-disk', 'disk', bytes);
  const status = el('p', {class: 'error', id: 'usage-status'});
  const box = el('div', {class: 'charts'}, cpu.root, mem.root, disk.root);
  async function step() {
    if (!box.isConnected && box.dataset.shown) return;
    try {
      const {samples} = await api(base + '/usage');
      cpu.update(samples, (s) => s.cpu_rate);
      mem.update(samples, (s) => s.memory_bytes);
      disk.update(samples, (s) => (s.disk_bytes === undefined ? -1 : s.disk_bytes));
      status.textContent = '';
    } catch (e) {
      status.textContent = 'usage: ' + e.message;
    }
    box.dataset.shown = '1';
    setTimeout(step, USAGE_POLL_MS);
  }
  step();
  return [el('h2', {}, 'Resources'), status, box];
}

async function instancePage(k, instance) {
  const {tasks} = await api(apiJob(k) + '/tasks?instances=' + instance);
  if (!tasks.length) throw new ApiError(404, 'instance ' + instance + ' has no tasks');
  const task = tasks[0];
  const base = apiJob(k) + '/tasks/' + enc(task.task_id);
  const head = [
    el('h1', {}, jobPath(k) + '/' + instance),
    el('p', {}, stateCell(task.status), ' · ', task.task_id, ' · on ', task.host || '(not placed)'),
    table(['ports', 'uptime', 'cpu', 'memory', 'disk', 'config'],
          [[ports(task.ports), uptime(task), task.usage ? task.usage.cpu_rate.toFixed(3) : '',
            task.usage ? bytes(task.usage.memory_bytes) : '',
            task.usage ? bytes(task.usage.disk_bytes) : '', task.config_id || '']]),
    ...usageGraphs(base),
  ];
  const history = [el('h2', {}, 'Tasks of this instance'),
    table(['task', 'state', 'host', 'last change', 'message'], tasks.map((t) => [
      t.task_id, stateCell(t.status), t.host || '',
      when((t.events || []).length ? t.events[t.events.length - 1].ts_ms : 0), t.message,
    ]))];
  if (!task.host) return show(...head, ...history);
  let onAgent;
  try {
    onAgent = (await api(base + '/agent')).task;
  } catch (e) {
    return show(...head, el('p', {class: 'error'}, 'agent: ' + e.message), ...history);
  }
  const procs = onAgent.processes || [];
  const pre = el('pre', {class: 'log', id: 'log'});
  const status = el('p', {class: 'error', id: 'log-status'});
  const procSel = el('select', {id: 'process'}, ...procs.map((p) => el('option', {}, p.name)));
  const streamSel = el('select', {id: 'stream'}, el('option', {}, 'stdout'),
                       el('option', {}, 'stderr'));
  let stop = () => {};
  function follow() {
    stop();
    pre.textContent = '';
    const p = procs.find((x) => x.name === procSel.value);
    if (p) stop = followLog(base, p.name, p.run, streamSel.value, pre, status);
  }
  procSel.onchange = follow;
  streamSel.onchange = follow;
  show(...head,
       el('h2', {}, 'Processes'),
       table(['process', 'state', 'run', 'pid', 'exit'], procs.map((p) => [
         p.name, stateCell(p.state), p.run, p.pid || '',
         p.exit_code !== undefined ? p.exit_code : (p.signal ? 'signal ' + p.signal : ''),
       ])),
       el('h2', {}, 'Output'), el('p', {}, procSel, ' ', streamSel), status, pre,
       ...sandboxBrowser(base), ...history);
  follow();
}

async function agentsPage() {
  const {agents} = await api('/api/v1/agents');
  const res = (r) => r ? 'cpu ' + r.cpu + ', ram ' + bytes(r.ram) + ', disk ' + bytes(r.disk) : '';
  show(el('h1', {}, 'Agents'),
       table(['host', 'address', 'status', 'last seen', 'tasks', 'used', 'total'],
             agents.map((a) => [a.hostname, a.address, stateCell(a.status),
                                when(a.last_seen_ms), a.tasks, res(a.resources.used),
                                res(a.resources.total)])));
}

async function updatesPage() {
  const {updates} = await api('/api/v1/updates');
  show(el('h1', {}, 'Updates'),
       table(['job', 'update', 'status', 'user', 'progress', 'started', 'last change'],
             updates.map((u) => {
               const key = u.job.split('/').slice(1).join('/');
               return [link('/scheduler/' + key, u.job), (u.update_id || '').slice(0, 12),
                       stateCell(u.status), u.user || '',
                       u.instances_done + '/' + u.instances_total, when(u.created_ms),
                       when(u.updated_ms)];
             })));
}

// --- login and routing ---

function showLogin(why) {
  const form = document.getElementById('login');
  document.getElementById('login-why').textContent = why;
  form.hidden = false;
  show();
  form.onsubmit = (ev) => {
    ev.preventDefault();
    sessionStorage.setItem(TOKEN_KEY, document.getElementById('token').value.trim());
    form.hidden = true;
    route();
  };
}

function showWho() {
  const who = document.getElementById('who');
  if (!sessionStorage.getItem(TOKEN_KEY)) return who.replaceChildren();
  const out = el('button', {type: 'button'}, 'sign out');
  out.onclick = () => { sessionStorage.removeItem(TOKEN_KEY); location.reload(); };
  who.replaceChildren('signed in with a token', out);
}

async function route() {
  showWho();
  const segs = location.pathname.split('/').filter((s) => s).slice(1).map(decodeURIComponent);
  const key = (s) => ({role: s[0], env: s[1], job: s[2]});
  try {
    if (segs.length === 0) await jobsPage();
    else if (segs.length === 1 && segs[0] === 'agents') await agentsPage();
    else if (segs.length === 1 && segs[0] === 'updates') await updatesPage();
    else if (segs.length === 3) await jobPage(key(segs));
    else if (segs.length === 4) await instancePage(key(segs), segs[3]);
    else show(el('p', {class: 'error'}, 'No such page.'));
  } catch (e) {
    if (e instanceof ApiError && e.status === 401)
      return showLogin('This scheduler wants a token: ' + e.message);
    const what = e instanceof ApiError && e.status === 403 ? 'Not permitted: ' : 'Error: ';
    show(el('p', {class: 'error'}, what + e.message));
  }
}

route();
