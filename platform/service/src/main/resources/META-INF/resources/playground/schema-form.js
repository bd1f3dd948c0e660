// Builds a parameter form from a task's JSON Schema (draft 2020-12), so any plugin's task gets a form without
// changes to the page. Image parameters (x-rsynth-image) and the paint strokes come from the board instead.

function resolve(root, node) {
  let n = node;
  for (let guard = 0; n && n.$ref && guard < 10; guard++) {
    if (!n.$ref.startsWith('#/')) break;
    const target = n.$ref.slice(2).split('/').reduce((o, k) => o?.[k], root);
    const {$ref, ...rest} = n;
    n = {...target, ...rest};
  }
  return n || {};
}

function isClassLike(name, s) {
  const types = Array.isArray(s.type) ? s.type : [s.type];
  return /class/i.test(name) && types.includes('string') && types.includes('integer');
}

function element(tag, attrs = {}, children = []) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null) continue;
    if (k === 'text') e.textContent = v;
    else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c);
  return e;
}

/**
 * Describes the schema's parameters: which are images (by their x-rsynth-image kind, or 'model' for the task's
 * declared image parameters without one), the strokes, and the rest (form fields).
 */
export function describe(schema, imageParameters = []) {
  const props = schema.properties || {};
  const images = {};
  for (const name of imageParameters) images[name] = 'model';
  let strokes = null;
  for (const [name, raw] of Object.entries(props)) {
    const s = resolve(schema, raw);
    if (raw['x-rsynth-image'] || s['x-rsynth-image']) images[name] = raw['x-rsynth-image'] || s['x-rsynth-image'];
    const items = s.type === 'array' ? resolve(schema, s.items || {}) : null;
    if (items && items.properties && items.properties.label && (items.properties.channel || items.properties.class)) {
      strokes = {name, items, max: s.maxItems || 16};
    }
  }
  return {images, strokes, required: new Set(schema.required || [])};
}

/**
 * The form of a schema's non-image parameters. `values()` returns only what the user set (defaults are the
 * service's), typed as the schema says; model classes and defaults come from `model`.
 */
export function buildForm(schema, model, skip) {
  const required = new Set(schema.required || []);
  const fields = [];
  const root = element('div', {class: 'schema-form'});
  for (const [name, raw] of Object.entries(schema.properties || {})) {
    if (skip.has(name)) continue;
    const field = makeField(schema, name, resolve(schema, raw), required.has(name), model);
    fields.push(field);
    root.append(field.row);
  }
  return {
    element: root,
    values() {
      const out = {};
      for (const f of fields) {
        const v = f.value();
        if (v !== undefined) out[f.name] = v;
      }
      return out;
    },
    field(name) {
      return fields.find(f => f.name === name);
    },
  };
}

function makeField(root, name, s, required, model, prefix = '') {
  const id = 'param-' + prefix + name;
  const label = element('label', {for: id, text: name + (required ? ' *' : ''), title: s.description});
  const help = element('div', {class: 'help', text: s.description || ''});
  const types = Array.isArray(s.type) ? s.type : [s.type];
  let input, value;

  if (isClassLike(name, s)) {
    input = element('select', {id, 'data-param': prefix + name});
    if (!required) input.append(element('option', {value: '', text: '(model\'s choice)'}));
    (model?.classes || []).forEach((c, i) => input.append(element('option', {value: c, text: `${i}: ${c}`})));
    value = () => (input.value === '' ? undefined : input.value);
  } else if (s.type === 'array' && s.items && isClassLike(name, resolve(root, s.items))) {
    input = element('select', {id, multiple: 'multiple', size: 4, 'data-param': prefix + name});
    (model?.classes || []).forEach((c, i) => input.append(element('option', {value: c, text: `${i}: ${c}`})));
    value = () => {
      const v = [...input.selectedOptions].map(o => o.value);
      return v.length ? v : undefined;
    };
  } else if (s.enum) {
    input = element('select', {id, 'data-param': prefix + name});
    if (!required || s.default === undefined) input.append(element('option', {value: '', text: '(default)'}));
    s.enum.forEach(v => input.append(element('option', {value: JSON.stringify(v), text: String(v)})));
    if (s.default !== undefined) input.value = JSON.stringify(s.default);
    value = () => (input.value === '' ? undefined : JSON.parse(input.value));
  } else if (s.type === 'boolean') {
    input = element('input', {id, type: 'checkbox', 'data-param': prefix + name});
    input.checked = s.default === true;
    value = () => input.checked;
  } else if (s.type === 'integer' || s.type === 'number') {
    const modelDefault = model?.defaults?.[name];
    input = element('input', {
      id, type: 'number', 'data-param': prefix + name, min: s.minimum, max: s.maximum,
      step: s.type === 'integer' ? 1 : 'any',
      placeholder: s.default !== undefined ? String(s.default) : modelDefault !== undefined ? 'model: ' + modelDefault : '',
    });
    value = () => {
      if (input.value.trim() === '') return undefined;
      const n = Number(input.value);
      return s.type === 'integer' ? Math.trunc(n) : n;
    };
  } else if (s.type === 'object' && s.properties) {
    const sub = Object.entries(s.properties).map(([k, v]) =>
      makeField(root, k, resolve(root, v), false, model, prefix + name + '.'));
    input = element('fieldset', {id, class: 'nested', 'data-param': prefix + name}, sub.map(f => f.row));
    value = () => {
      const o = {};
      for (const f of sub) {
        const v = f.value();
        if (v !== undefined && !(typeof v === 'boolean' && v === false)) o[f.name] = v;
      }
      return Object.keys(o).length ? o : undefined;
    };
  } else if (types.includes('string') && !s.type?.includes?.('array')) {
    input = element('input', {id, type: 'text', 'data-param': prefix + name, placeholder: s.default ?? ''});
    value = () => (input.value === '' ? undefined : input.value);
  } else {
    input = element('textarea', {id, rows: 2, 'data-param': prefix + name, placeholder: 'JSON'});
    value = () => {
      if (input.value.trim() === '') return undefined;
      try {
        return JSON.parse(input.value);
      } catch (e) {
        return input.value;
      }
    };
  }
  const row = element('div', {class: 'field'}, [label, input, help]);
  return {name, row, input, value};
}
