// Drawing one polygon with MapLibre's own events: a click adds a corner; clicking the first
// corner again, Enter or finish() closes it. No drawing library: this is all a planner needs.

const CLOSE_PIXELS = 10;

export class PolygonDrawing {
  constructor(map, { onChange, onFinish }) {
    this.map = map;
    this.onChange = onChange;
    this.onFinish = onFinish;
    this.vertices = [];
    this.active = false;
    this.click = this.click.bind(this);
    this.key = this.key.bind(this);
  }

  start() {
    this.vertices = [];
    this.active = true;
    this.map.doubleClickZoom.disable();
    this.map.getCanvas().style.cursor = 'crosshair';
    this.map.on('click', this.click);
    this.map.getCanvasContainer().addEventListener('keydown', this.key);
    this.update();
  }

  stop() {
    this.active = false;
    this.map.off('click', this.click);
    this.map.getCanvasContainer().removeEventListener('keydown', this.key);
    this.map.getCanvas().style.cursor = '';
    this.map.doubleClickZoom.enable();
  }

  click(e) {
    if (this.vertices.length >= 3) {
      const first = this.map.project(this.vertices[0]);
      if (Math.hypot(first.x - e.point.x, first.y - e.point.y) <= CLOSE_PIXELS) { this.finish(); return; }
    }
    this.vertices.push([e.lngLat.lng, e.lngLat.lat]);
    this.update();
  }

  key(e) {
    if (e.key === 'Enter') { e.preventDefault(); this.finish(); }
    else if (e.key === 'Escape') this.cancel();
    else if (e.key === 'Backspace') { e.preventDefault(); this.undo(); }
  }

  undo() {
    this.vertices.pop();
    this.update();
  }

  cancel() {
    this.stop();
    this.vertices = [];
    this.show(null);
    this.onChange(0);
  }

  finish() {
    if (this.vertices.length < 3) return false;
    this.stop();
    const geometry = { type: 'Polygon', coordinates: [[...this.vertices, this.vertices[0]]] };
    this.show(geometry);
    this.onFinish(geometry);
    return true;
  }

  // Shows a finished polygon (a drawn one, or a stored proposal being edited).
  show(geometry) {
    this.map.getSource('draw').setData({ type: 'FeatureCollection',
      features: geometry ? [{ type: 'Feature', properties: {}, geometry }] : [] });
  }

  update() {
    const features = this.vertices.map((c) => ({ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: c } }));
    if (this.vertices.length >= 2)
      features.push({ type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: this.vertices } });
    this.map.getSource('draw').setData({ type: 'FeatureCollection', features });
    this.onChange(this.vertices.length);
  }
}
