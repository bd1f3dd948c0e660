// The drawing board: an image at the model's resolution (or a fraction of it, for superres), a mask layer and a
// stroke-label layer, drawn with the pointer, shown scaled up. Every action can be undone.

import {encodePng} from './png.js';

const STROKE_COLOURS = ['#e6194b', '#3cb44b', '#4363d8', '#f58231', '#911eb4', '#42d4f4', '#f032e6', '#bfef45',
  '#fabed4', '#469990', '#dcbeff', '#9a6324', '#fffac8', '#800000', '#aaffc3', '#808000'];

export class Board {
  constructor(canvas, onChange) {
    this.view = canvas;
    this.onChange = onChange;
    this.image = document.createElement('canvas');
    this.mode = 'draw';
    this.brush = 2;
    this.ink = 255;
    this.history = [];
    this.strokes = [];
    this.feature = () => ({});
    this.setSize(28, 28, 1);
    canvas.addEventListener('pointerdown', e => this.down(e));
    canvas.addEventListener('pointermove', e => this.move(e));
    window.addEventListener('pointerup', () => this.up());
  }

  setSize(width, height, channels) {
    this.width = width;
    this.height = height;
    this.channels = channels;
    this.image.width = width;
    this.image.height = height;
    const ctx = this.image.getContext('2d', {willReadFrequently: true});
    ctx.fillStyle = '#000';
    ctx.fillRect(0, 0, width, height);
    this.mask = new Uint8Array(width * height);
    this.labels = new Uint8Array(width * height);
    this.strokes = [];
    this.history = [];
    this.render();
  }

  /** Loads an image that already has the board's size (the gateway fitted it, or it is a result). */
  async setImage(dataUrl, keepHistory = true) {
    const img = new Image();
    img.src = dataUrl;
    await img.decode();
    if (keepHistory) this.snapshot();
    const ctx = this.image.getContext('2d', {willReadFrequently: true});
    ctx.fillStyle = '#000';
    ctx.fillRect(0, 0, this.width, this.height);
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(img, 0, 0, this.width, this.height);
    this.strokes = [];
    this.labels.fill(0);
    this.render();
  }

  clear() {
    this.snapshot();
    const ctx = this.image.getContext('2d', {willReadFrequently: true});
    ctx.fillStyle = '#000';
    ctx.fillRect(0, 0, this.width, this.height);
    this.mask.fill(0);
    this.labels.fill(0);
    this.strokes = [];
    this.render();
  }

  snapshot() {
    const ctx = this.image.getContext('2d', {willReadFrequently: true});
    this.history.push({
      image: ctx.getImageData(0, 0, this.width, this.height), mask: this.mask.slice(), labels: this.labels.slice(),
      strokes: this.strokes.map(s => ({...s})),
    });
    if (this.history.length > 100) this.history.shift();
  }

  canUndo() {
    return this.history.length > 0;
  }

  undo() {
    const last = this.history.pop();
    if (!last) return;
    this.image.getContext('2d', {willReadFrequently: true}).putImageData(last.image, 0, 0);
    this.mask = last.mask;
    this.labels = last.labels;
    this.strokes = last.strokes;
    this.render();
  }

  point(e) {
    const r = this.view.getBoundingClientRect();
    return [(e.clientX - r.left) / r.width * this.width, (e.clientY - r.top) / r.height * this.height];
  }

  down(e) {
    e.preventDefault();
    this.snapshot();
    if (this.mode === 'stroke') {
      if (this.strokes.length >= 16) {
        this.history.pop();
        return;
      }
      this.strokes.push({label: this.strokes.length + 1, ...this.feature()});
    }
    this.drawing = true;
    this.last = this.point(e);
    this.dab(...this.last);
    this.render();
  }

  move(e) {
    if (!this.drawing) return;
    const [x, y] = this.point(e);
    const [x0, y0] = this.last;
    const n = Math.max(1, Math.ceil(Math.hypot(x - x0, y - y0) * 2));
    for (let i = 1; i <= n; i++) this.dab(x0 + (x - x0) * i / n, y0 + (y - y0) * i / n);
    this.last = [x, y];
    this.render();
  }

  up() {
    if (this.drawing) {
      this.drawing = false;
      this.render();
    }
  }

  dab(x, y) {
    const r = this.brush;
    if (this.mode === 'draw') {
      const ctx = this.image.getContext('2d', {willReadFrequently: true});
      ctx.fillStyle = typeof this.ink === 'string' ? this.ink : `rgb(${this.ink},${this.ink},${this.ink})`;
      ctx.beginPath();
      ctx.arc(x, y, r, 0, 2 * Math.PI);
      ctx.fill();
      return;
    }
    const layer = this.mode === 'mask' ? this.mask : this.labels;
    const value = this.mode === 'mask' ? 1 : this.strokes.length;
    for (let py = Math.floor(y - r); py <= Math.ceil(y + r); py++) {
      for (let px = Math.floor(x - r); px <= Math.ceil(x + r); px++) {
        if (px < 0 || py < 0 || px >= this.width || py >= this.height) continue;
        if ((px + 0.5 - x) ** 2 + (py + 0.5 - y) ** 2 <= r * r) layer[py * this.width + px] = value;
      }
    }
  }

  render() {
    const v = this.view;
    const ctx = v.getContext('2d');
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(this.image, 0, 0, v.width, v.height);
    const sx = v.width / this.width, sy = v.height / this.height;
    for (let i = 0; i < this.width * this.height; i++) {
      const px = i % this.width, py = Math.floor(i / this.width);
      if (this.mask[i] && this.mode !== 'stroke') {
        ctx.fillStyle = 'rgba(255,40,40,0.55)';
        ctx.fillRect(px * sx, py * sy, sx, sy);
      }
      if (this.labels[i]) {
        ctx.fillStyle = STROKE_COLOURS[(this.labels[i] - 1) % STROKE_COLOURS.length] + '99';
        ctx.fillRect(px * sx, py * sy, sx, sy);
      }
    }
    this.onChange?.(this);
  }

  static colour(label) {
    return STROKE_COLOURS[(label - 1) % STROKE_COLOURS.length];
  }

  /** The image as PNG base64 with the board's channel count (grey: Rec. 601 luma). */
  imagePng() {
    const rgba = this.image.getContext('2d', {willReadFrequently: true})
        .getImageData(0, 0, this.width, this.height).data;
    const n = this.width * this.height;
    const out = new Uint8Array(n * this.channels);
    for (let i = 0; i < n; i++) {
      if (this.channels === 1) {
        out[i] = Math.round(0.299 * rgba[4 * i] + 0.587 * rgba[4 * i + 1] + 0.114 * rgba[4 * i + 2]);
      } else {
        out.set([rgba[4 * i], rgba[4 * i + 1], rgba[4 * i + 2]], 3 * i);
      }
    }
    return encodePng(this.width, this.height, this.channels, out);
  }

  imageDataUrl() {
    return 'data:image/png;base64,' + this.imagePng();
  }

  maskEmpty() {
    return !this.mask.some(v => v);
  }

  /** The mask: white where painted. */
  maskPng() {
    return encodePng(this.width, this.height, 1, this.mask.map(v => (v ? 255 : 0)));
  }

  /** The stroke regions: grey level k where stroke k painted last. */
  labelsPng() {
    return encodePng(this.width, this.height, 1, this.labels);
  }
}
