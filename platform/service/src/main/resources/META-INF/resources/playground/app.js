// The playground page: pick a model and a task, make the start image, run the task through the gateway, watch its
// progress, keep the results. Everything task-specific comes from the task's schema and the model card.

import {follow, getJson, getText, post, ServiceError} from './api.js';
import {Board} from './board.js';
import {buildForm, describe} from './schema-form.js';

const $ = id => document.getElementById(id);
const state = {models: [], tasks: [], schemas: {}, model: null, task: null, info: null, form: null, running: null};

window.addEventListener('error', e => (document.body.dataset.error = String(e.message)));
window.addEventListener('unhandledrejection', e => (document.body.dataset.error = String(e.reason)));

const board = new Board($('board'), b => showStrokes(b));

function setStatus(text) {
  $('status').textContent = text;
}

function showError(error) {
  const box = $('error');
  if (!error) {
    box.hidden = true;
    box.textContent = '';
    return;
  }
  box.hidden = false;
  box.innerHTML = '';
  const code = document.createElement('span');
  code.className = 'code';
  code.textContent = error.code;
  box.append(code, ` (${error.stage || 'gateway'}): ${error.message}`);
}

function newSeed() {
  $('seed').value = String(Math.floor(Math.random() * 2 ** 31));
}

async function start() {
  try {
    [state.models, state.tasks] = await Promise.all([getJson('/api/v1/playground/models'), getJson('/api/v1/tasks')]);
  } catch (e) {
    setStatus('the service does not answer');
    showError(e instanceof ServiceError ? e : {code: 'UNAVAILABLE', message: String(e), stage: 'gateway'});
    return;
  }
  for (const m of state.models) $('model').append(new Option(`${m.name} (${m.channels}×${m.height}×${m.width}${m.robust ? ', robust' : ''})`, m.name));
  for (const t of state.tasks) $('task').append(new Option(`${t.type} — ${t.title}`, t.type));
  const robust = state.models.find(m => m.robust);
  if (robust) $('model').value = robust.name;
  if (state.tasks.some(t => t.type === 'paint')) $('task').value = 'paint';
  newSeed();
  await selectionChanged();
  document.body.dataset.ready = 'true';
  setStatus(`${state.models.length} models, ${state.tasks.length} tasks`);
}

async function schemaOf(type) {
  if (!state.schemas[type]) state.schemas[type] = JSON.parse(await getText(`/api/v1/tasks/${encodeURIComponent(type)}/schema`));
  return state.schemas[type];
}

async function selectionChanged() {
  state.model = state.models.find(m => m.name === $('model').value);
  state.task = state.tasks.find(t => t.type === $('task').value);
  const schema = await schemaOf(state.task.type);
  state.info = describe(schema, state.task.imageParameters || []);
  $('task-title').textContent = `${state.task.type} — ${state.task.title}`;
  $('task-description').textContent = schema.description || '';
  const skip = new Set(Object.keys(state.info.images));
  if (state.info.strokes) skip.add(state.info.strokes.name);
  state.form = buildForm(schema, state.model, skip);
  $('params').replaceChildren(state.form.element);
  configureBoard();
  showError(null);
}

function imageOf(kind) {
  return Object.entries(state.info.images).find(([, k]) => k === kind)?.[0];
}

function divisor() {
  if (!imageOf('any-size')) return 1;
  const factor = state.form.field('factor');
  return factor ? Number(factor.input.value || 0) || 1 : 1;
}

function configureBoard() {
  const m = state.model;
  const hasImage = imageOf('model') || imageOf('any-size');
  $('board-body').hidden = !hasImage;
  $('no-image').hidden = !!hasImage;
  const factor = state.form.field('factor');
  if (imageOf('any-size') && factor) {
    if (!factor.input.value) factor.input.value = m.height % 4 === 0 && m.width % 4 === 0 ? 4 : 2;
    factor.input.addEventListener('change', () => refitBoard());
  }
  const d = divisor();
  const keep = board.imageDataUrl();
  const sizeChanged = board.width !== m.width / d || board.height !== m.height / d || board.channels !== m.channels;
  if (sizeChanged) board.setSize(m.width / d, m.height / d, m.channels);
  else board.setSize(board.width, board.height, board.channels);
  if (!sizeChanged) board.setImage(keep, false);
  const modes = {draw: true, mask: !!imageOf('mask') && !state.info.strokes, stroke: !!state.info.strokes};
  for (const label of document.querySelectorAll('.modes label')) label.hidden = !modes[label.dataset.mode];
  const current = document.querySelector('input[name=mode]:checked').value;
  if (!modes[current]) document.querySelector('input[name=mode][value=draw]').checked = true;
  if (state.info.strokes) document.querySelector('input[name=mode][value=stroke]').checked = true;
  board.mode = document.querySelector('input[name=mode]:checked').value;
  $('feature').hidden = !state.info.strokes;
  $('feature-layer').replaceChildren(...m.layers.map(l => new Option(`${l.name} (${l.shape.join('×')})`, l.name)));
  if (m.layers.length) $('feature-layer').value = m.layers[m.layers.length - 1].name;
  $('feature-class').replaceChildren(...m.classes.map((c, i) => new Option(`${i}: ${c}`, c)));
  updateChannelRange();
  $('ink').value = m.channels === 1 ? '#ffffff' : '#d04020';
  board.ink = $('ink').value;
  $('original-figure').hidden = true;
  showStrokes();
}

async function refitBoard() {
  const d = divisor();
  const m = state.model;
  if (m.height % d || m.width % d) return;
  const image = board.imagePng();
  try {
    const fitted = await post('/api/v1/playground/fit', {model: m.name, divisor: d, image: {data: image}});
    board.setSize(fitted.width, fitted.height, fitted.channels);
    await board.setImage(fitted.dataUrl, false);
  } catch (e) {
    showError(e);
  }
}

function updateChannelRange() {
  const layer = state.model.layers.find(l => l.name === $('feature-layer').value);
  $('feature-channel').max = layer ? layer.channels - 1 : 0;
}

function feature() {
  const mode = document.querySelector('input[name=feature]:checked').value;
  if (mode === 'class') return {class: $('feature-class').value};
  const f = {channel: Number($('feature-channel').value || 0)};
  if ($('feature-layer').value) f.layer = $('feature-layer').value;
  return f;
}

board.feature = feature;

function showStrokes(b = board) {
  const list = $('strokes');
  list.replaceChildren(...b.strokes.map(s => {
    const li = document.createElement('li');
    const swatch = document.createElement('span');
    swatch.className = 'swatch';
    swatch.style.background = Board.colour(s.label);
    li.append(swatch, s.class !== undefined ? `feature of class ${s.class}` : `${s.layer ?? '(last layer)'} channel ${s.channel}`);
    return li;
  }));
  $('undo').disabled = !b.canUndo();
}

async function upload(file) {
  showError(null);
  const original = URL.createObjectURL(file);
  const data = await new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
  try {
    const fitted = await post('/api/v1/playground/fit', {model: state.model.name, divisor: divisor(), image: {data}});
    board.setSize(fitted.width, fitted.height, fitted.channels);
    await board.setImage(fitted.dataUrl, false);
    $('original').src = original;
    $('original-caption').textContent = `original ${fitted.originalWidth}×${fitted.originalHeight} → ` +
        `${fitted.width}×${fitted.height}×${fitted.channels} (the service's area resampler)`;
    $('original-figure').hidden = false;
  } catch (e) {
    showError(e);
  }
}

function request() {
  const params = state.form.values();
  const modelImage = imageOf('model') || imageOf('any-size');
  if (modelImage) params[modelImage] = {data: board.imagePng()};
  const mask = imageOf('mask');
  if (state.info.strokes) {
    params[state.info.strokes.name] = board.strokes.map(({label, ...f}) => ({label, ...f}));
    if (mask) params[mask] = {data: board.labelsPng()};
  } else if (mask && !board.maskEmpty()) {
    params[mask] = {data: board.maskPng()};
  }
  const body = {type: state.task.type, model: state.model.name, params};
  if ($('seed').value.trim() !== '') body.seed = Number($('seed').value);
  if ($('live').checked) body.progress = {every: Math.max(1, Math.round(Number($('live-every').value) || 1)), previews: true};
  return body;
}

async function submit() {
  showError(null);
  const body = request();
  const startImage = imageOf('model') || imageOf('any-size') ? board.imageDataUrl() : null;
  let accepted;
  try {
    accepted = await post('/api/v1/playground/tasks', body);
  } catch (e) {
    showError(e);
    return;
  }
  state.running = accepted.id;
  $('submit').disabled = true;
  $('cancel').disabled = false;
  $('run').hidden = false;
  $('run').dataset.state = 'running';
  $('run').dataset.task = accepted.id;
  $('progress').value = 0;
  $('progress').dataset.events = '0';
  $('progress-text').textContent = `submitted ${accepted.id}`;
  $('previews').replaceChildren();
  $('previews').dataset.updates = '0';
  $('run-state').textContent = 'RUNNING';
  $('run-state').className = 'run-state running';
  $('run').dataset.status = 'RUNNING';
  setStatus(`running ${body.type} on ${body.model}`);
  const stop = follow(accepted.id, event => {
    if (event.kind === 'progress') {
      $('progress').value = event.fraction;
      $('progress').dataset.events = String(Number($('progress').dataset.events) + 1);
      const metrics = Object.entries(event.metrics || {}).filter(([k]) => k !== 'ticks')
          .map(([k, v]) => `${k} ${Number(v).toPrecision(4)}`).join(' · ');
      $('progress-text').textContent = `${event.stage} step ${event.step}/${event.totalSteps}${metrics ? ' · ' + metrics : ''}`;
      if (event.previews && event.previews.length) showPreviews(event);
    } else if (event.kind === 'outcome') {
      finished(event, body, startImage);
    }
  }, () => finished({id: accepted.id, status: 'FAILED', images: [],
    error: {code: 'UNAVAILABLE', message: 'lost the connection to the gateway', stage: 'gateway'}}, body, startImage));
  state.stop = stop;
}

/** The current images of the running synthesis, at the model's pixels scaled up (CSS, pixelated). */
function showPreviews(event) {
  const box = $('previews');
  while (box.children.length > event.previews.length) box.lastChild.remove();
  event.previews.forEach((url, i) => {
    let img = box.children[i];
    if (!img) {
      img = document.createElement('img');
      img.className = 'preview';
      box.append(img);
    }
    img.alt = `preview ${i} at step ${event.step}`;
    img.src = url;
  });
  box.dataset.updates = String(Number(box.dataset.updates) + 1);
  box.dataset.step = String(event.step);
}

async function finished(outcome, body, startImage) {
  if (state.running !== outcome.id) return;
  state.running = null;
  $('submit').disabled = false;
  $('cancel').disabled = true;
  $('run').dataset.state = 'finished';
  $('run').dataset.status = outcome.status;
  $('run-state').textContent = outcome.status + ($('previews').dataset.step && outcome.status !== 'SUCCEEDED'
    ? ` (last preview at step ${$('previews').dataset.step})` : '');
  $('run-state').className = 'run-state ' + outcome.status.toLowerCase();
  if (outcome.status === 'SUCCEEDED') {
    $('progress').value = 1;
    setStatus(`${body.type} done`);
  } else {
    showError(outcome.error || {code: outcome.status, message: '', stage: ''});
    setStatus(`${body.type} ${outcome.status.toLowerCase()}`);
  }
  addToGallery(outcome, body, startImage);
  if (outcome.status === 'SUCCEEDED' && state.info.strokes && body.type === state.task.type) {
    const result = outcome.images.find(i => i.role === 'result' && i.dataUrl);
    if (result) {
      await board.setImage(result.dataUrl, true);
      $('board').dataset.image = 'result of ' + outcome.id;
      showStrokes();
    }
  }
}

function figure(img, id, cls) {
  const f = document.createElement('figure');
  const image = document.createElement('img');
  image.className = cls;
  image.alt = `${img.role} ${img.index}`;
  if (img.dataUrl) image.src = img.dataUrl;
  const caption = document.createElement('figcaption');
  const label = document.createElement('span');
  label.className = 'label';
  const meta = img.metadata || {};
  label.textContent = [img.role + ' ' + img.index, meta.class, meta.finalProbability !== undefined
    ? 'p=' + Number(meta.finalProbability).toFixed(2) : null].filter(Boolean).join(' · ');
  caption.append(label);
  if (img.dataUrl) {
    const a = document.createElement('a');
    a.href = img.dataUrl;
    a.download = `${id}-${img.role}-${img.index}.png`;
    a.textContent = 'PNG';
    a.className = 'download';
    caption.append(a);
  }
  f.append(image, caption);
  return f;
}

function addToGallery(outcome, body, startImage) {
  const card = document.createElement('article');
  card.className = 'result-card' + (outcome.status === 'SUCCEEDED' ? '' : ' failed');
  card.dataset.status = outcome.status;
  card.dataset.task = outcome.id;
  const head = document.createElement('header');
  head.textContent = `${body.type} · ${body.model} · ${outcome.status}`;
  const prov = outcome.provenance || {};
  const meta = document.createElement('div');
  meta.className = 'meta';
  meta.textContent = [`id ${outcome.id}`, prov.seed !== undefined ? `seed ${prov.seed}` : null,
    prov.runMillis !== undefined ? `run ${prov.runMillis} ms` : null,
    prov.plugin ? `${prov.plugin} ${prov.pluginVersion}` : null].filter(Boolean).join(' · ');
  card.append(head, meta);
  if (outcome.error) {
    const e = document.createElement('div');
    e.className = 'error';
    e.textContent = `${outcome.error.code} (${outcome.error.stage}): ${outcome.error.message}`;
    card.append(e);
  }
  const strip = document.createElement('div');
  strip.className = 'strip';
  if (startImage) strip.append(figure({role: 'start', index: 0, dataUrl: startImage}, outcome.id, 'start'));
  for (const img of outcome.images.filter(i => i.role !== 'seed')) {
    strip.append(figure(img, outcome.id, img.role === 'result' ? 'result' : 'role-' + img.role));
  }
  card.append(strip);
  const seeds = outcome.images.filter(i => i.role === 'seed');
  if (seeds.length) {
    const s = document.createElement('div');
    s.className = 'strip seeds';
    seeds.forEach(img => s.append(figure(img, outcome.id, 'seed')));
    const title = document.createElement('div');
    title.className = 'meta';
    title.textContent = `seeds (request seed ${prov.seed ?? body.seed ?? '?'}): the start of each result above`;
    card.append(title, s);
  }
  const details = document.createElement('details');
  const summary = document.createElement('summary');
  summary.textContent = 'provenance and metadata';
  const pre = document.createElement('pre');
  pre.textContent = JSON.stringify({provenance: outcome.provenance, metadata: outcome.metadata}, null, 2);
  details.append(summary, pre);
  card.append(details);
  $('gallery').prepend(card);
}

$('model').addEventListener('change', () => selectionChanged());
$('task').addEventListener('change', () => selectionChanged());
for (const r of document.querySelectorAll('input[name=mode]')) r.addEventListener('change', () => {
  board.mode = r.value;
  board.render();
});
$('brush').addEventListener('input', () => (board.brush = Number($('brush').value)));
$('ink').addEventListener('input', () => (board.ink = $('ink').value));
$('feature-layer').addEventListener('change', updateChannelRange);
$('undo').addEventListener('click', () => {
  board.undo();
  showStrokes();
});
$('clear').addEventListener('click', () => board.clear());
$('upload').addEventListener('change', e => e.target.files[0] && upload(e.target.files[0]));
$('reroll').addEventListener('click', newSeed);
$('submit').addEventListener('click', submit);
$('cancel').addEventListener('click', async () => {
  if (!state.running) return;
  try {
    await post(`/api/v1/playground/tasks/${encodeURIComponent(state.running)}/cancel`, {});
    $('progress-text').textContent += ' · cancel sent';
  } catch (e) {
    showError(e);
  }
});

start();
