// check_report.js - report.html as a person sees it, in headless Chromium over the DevTools
// protocol: no console error, the answers table inside the first 1400x900 viewport, every
// image and chart decodes, a click on a chart's key entry hides its series (and again shows
// it), a click on a header sorts a table; saves a screenshot.
//
//   node --experimental-websocket check_report.js CHROMIUM REPORT.html SCREENSHOT.png
// Exit 0 when every check holds, 1 when one fails, 2 when the browser cannot be driven.
'use strict';
const { spawn } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const [chromium, report, shot] = process.argv.slice(2);
const W = 1400, H = 900;
const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'contend-browser-'));
const args = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
  '--no-default-browser-check', '--remote-debugging-port=0', `--user-data-dir=${profile}`,
  `--window-size=${W},${H}`, 'about:blank'];
const browser = spawn(chromium, args, { stdio: ['ignore', 'ignore', 'pipe'] });
let fails = 0, passes = 0;
function check(what, ok, detail) {
  if (ok) passes++;
  else { fails++; console.log(`FAIL: ${what}${detail ? ': ' + detail : ''}`); }
}
function done(code) {
  try { browser.kill('SIGKILL'); } catch (e) { /* gone */ }
  try { fs.rmSync(profile, { recursive: true, force: true, maxRetries: 5 }); } catch (e) { /* chromium still writing: left in tmp */ }
  process.exit(code);
}
const timer = setTimeout(() => { console.log('browser test: timed out'); done(2); }, 90000);

let stderr = '';
browser.stderr.on('data', (d) => {
  stderr += d;
  const m = /DevTools listening on (ws:\/\/[^\s]+)/.exec(stderr);
  if (m && !browser.started) { browser.started = true; run(m[1]).catch((e) => { console.log(`browser test: ${e.stack || e}`); done(2); }); }
});
browser.on('exit', (c) => { if (!browser.started) { console.log(`chromium exited (${c}): ${stderr.slice(0, 400)}`); done(2); } });

async function run(wsBrowser) {
  const port = new URL(wsBrowser).port;
  const list = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json();
  const page = list.find((t) => t.type === 'page');
  const ws = new WebSocket(page.webSocketDebuggerUrl);
  await new Promise((res, rej) => { ws.onopen = res; ws.onerror = rej; });
  let id = 0;
  const pending = new Map(), waiters = [], errors = [];
  ws.onmessage = (ev) => {
    const msg = JSON.parse(ev.data);
    if (msg.id && pending.has(msg.id)) { pending.get(msg.id)(msg); pending.delete(msg.id); return; }
    if (msg.method === 'Runtime.exceptionThrown')
      errors.push(msg.params.exceptionDetails.exception?.description || msg.params.exceptionDetails.text);
    if (msg.method === 'Runtime.consoleAPICalled' && msg.params.type === 'error')
      errors.push(msg.params.args.map((a) => a.value ?? a.description).join(' '));
    if (msg.method === 'Log.entryAdded' && msg.params.entry.level === 'error')
      errors.push(msg.params.entry.text + ' ' + (msg.params.entry.url || ''));
    for (const w of waiters.splice(0)) if (!w(msg)) waiters.push(w);
  };
  const send = (method, params = {}) => new Promise((res) => {
    const i = ++id; pending.set(i, res); ws.send(JSON.stringify({ id: i, method, params }));
  });
  const event = (name) => new Promise((res) => waiters.push((m) => (m.method === name ? (res(m), true) : false)));
  const evaluate = async (expr) => {
    const r = await send('Runtime.evaluate', { expression: expr, returnByValue: true, awaitPromise: true });
    if (r.result.exceptionDetails) throw new Error(`${expr.slice(0, 60)}: ${JSON.stringify(r.result.exceptionDetails).slice(0, 300)}`);
    return r.result.result.value;
  };
  await send('Runtime.enable'); await send('Log.enable'); await send('Page.enable');
  await send('Emulation.setDeviceMetricsOverride', { width: W, height: H, deviceScaleFactor: 1, mobile: false });
  const loaded = event('Page.loadEventFired');
  await send('Page.navigate', { url: 'file://' + path.resolve(report) });
  await loaded;
  await evaluate('new Promise((r) => setTimeout(r, 500))');

  const box = await evaluate(`(() => { const t = document.getElementById('answers-table');
    if (!t) return null; const b = t.getBoundingClientRect();
    return {top: b.top, left: b.left, bottom: b.bottom, right: b.right, rows: t.rows.length}; })()`);
  check('the answers table exists', box !== null);
  if (box) check(`the answers table lies inside the first ${W}x${H} (${JSON.stringify(box)})`,
    box.top >= 0 && box.left >= 0 && box.bottom <= H && box.right <= W && box.rows > 1);

  const imgs = await evaluate(`Array.from(document.images).map((i) => ({alt: i.alt, ok: i.complete && i.naturalWidth > 0}))`);
  for (const i of imgs) check(`image decodes: ${i.alt}`, i.ok);
  const charts = await evaluate(`Array.from(document.querySelectorAll('iframe.chart')).map((f) => {
    const d = f.contentDocument, s = d && d.querySelector('svg'), b = s && s.getBoundingClientRect();
    return {title: f.title, svg: !!s, w: b ? b.width : 0, plots: d ? d.querySelectorAll('g[id^=gnuplot_plot_]').length : 0}; })`);
  check('charts are embedded', charts.length > 0, `${charts.length}`);
  for (const c of charts) check(`chart draws: ${c.title}`, c.svg && c.w > 100 && c.plots > 0, JSON.stringify(c));

  // hide and show a series: click its key entry in the first chart with a key
  const toggle = await evaluate(`(() => {
    for (const f of document.querySelectorAll('iframe.chart')) {
      const d = f.contentDocument, k = d && d.getElementById('gnuplot_plot_1_keyentry');
      const g = d && d.getElementById('gnuplot_plot_1');
      if (!k || !g) continue;
      const vis = () => d.defaultView.getComputedStyle(g).visibility + '/' + (g.getAttribute('visibility') || '');
      const before = vis();
      k.dispatchEvent(new d.defaultView.MouseEvent('click', {bubbles: true}));
      const hidden = vis();
      k.dispatchEvent(new d.defaultView.MouseEvent('click', {bubbles: true}));
      return {chart: f.title, before, hidden, after: vis()};
    }
    return null; })()`);
  check('a chart with a key to click', toggle !== null);
  if (toggle) {
    check(`clicking a key entry hides its series (${JSON.stringify(toggle)})`,
      toggle.before.startsWith('visible') && toggle.hidden.startsWith('hidden'));
    check('clicking it again shows it', toggle.after.startsWith('visible'));
  }
  // a point's value: gnuplot's plugin shows the coordinates under the pointer after a click
  const mouse = await evaluate(`(() => {
    for (const f of document.querySelectorAll('iframe.chart')) {
      const d = f.contentDocument, s = d && d.querySelector('svg');
      if (!s || !s.gnuplot) continue;
      const r = s.getBoundingClientRect(), x = r.left + r.width * 0.45, y = r.top + r.height * 0.5;
      const box = d.elementFromPoint(x, y);
      if (!box) continue;
      const ev = (t) => new d.defaultView.MouseEvent(t, {bubbles: true, clientX: x, clientY: y});
      box.dispatchEvent(ev('click'));
      box.dispatchEvent(ev('mousemove'));
      const t = d.getElementById('coord_text');
      return {plugin: !!s.gnuplot, text: t ? t.textContent : null};
    }
    return null; })()`);
  check(`a chart reads out the value under the pointer (${JSON.stringify(mouse)})`,
    mouse && mouse.plugin && mouse.text && /[0-9]/.test(mouse.text));

  // sort a table by a click on its header
  const sorted = await evaluate(`(() => {
    const t = Array.from(document.querySelectorAll('table.sortable')).find((t) =>
      Array.from(t.rows[0].cells).some((c) => /median/.test(c.textContent)) && t.rows.length > 3);
    if (!t) return null; const col = Array.from(t.rows[0].cells).findIndex((c) => /median/.test(c.textContent));
    const vals = () => Array.from(t.rows).slice(1).map((r) => parseFloat(r.cells[col].textContent)).filter((v) => !isNaN(v));
    t.rows[0].cells[col].click();
    const v = vals(); return v.every((x, i) => i === 0 || v[i - 1] <= x) && v.length > 1; })()`);
  check('a click on a header sorts the table', sorted === true, `${sorted}`);

  const png = await send('Page.captureScreenshot', { format: 'png', clip: { x: 0, y: 0, width: W, height: H, scale: 1 } });
  fs.writeFileSync(shot, Buffer.from(png.result.data, 'base64'));
  check('screenshot saved', fs.statSync(shot).size > 1000);
  // and one of the first chart section, for a person to look at
  await evaluate(`(() => { const s = document.querySelector('section.chart'); if (s) s.scrollIntoView(); })()`);
  await evaluate('new Promise((r) => setTimeout(r, 300))');
  const png2 = await send('Page.captureScreenshot', { format: 'png' });
  fs.writeFileSync(shot.replace(/\.png$/, '') + '-chart.png', Buffer.from(png2.result.data, 'base64'));
  check(`no console error (${errors.join(' | ')})`, errors.length === 0);
  console.log(`${passes} passed, ${fails} failed; screenshot: ${shot}`);
  clearTimeout(timer);
  done(fails ? 1 : 0);
}
